import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type {
  Assignment,
  InventoryFilter,
  InventorySort,
  OrderFilter,
  OrderSort,
  RoutingGroupStatus,
  RoutingRunTrigger,
  RoutingStatus,
  RoutingTrigger,
  UnfilledAction,
} from '../routing/routing-config';

/** A routing group (HotWax's "run"): its routings and their rules are rows of their own. */
@Entity('routing_group')
export class RoutingGroupRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('text') trigger: RoutingTrigger;
  @Column('text', { nullable: true }) cron: string | null;
  @Column('text') status: RoutingGroupStatus;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('routing')
export class RoutingRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'group_id' }) groupId: string;
  @Column('text') name: string;
  @Column('int') sequence: number;
  @Column('text') status: RoutingStatus;
  @Column('jsonb', { name: 'order_filters' }) orderFilters: OrderFilter[];
  @Column('jsonb', { name: 'order_sorts' }) orderSorts: OrderSort[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

@Entity('routing_rule')
export class RoutingRuleRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'routing_id' }) routingId: string;
  @Column('text') name: string;
  @Column('int') sequence: number;
  @Column('text') status: RoutingStatus;
  @Column('text') assignment: Assignment;
  @Column('jsonb', { name: 'inventory_filters' }) inventoryFilters: InventoryFilter[];
  @Column('jsonb', { name: 'inventory_sorts' }) inventorySorts: InventorySort[];
  @Column('jsonb', { name: 'unfilled_action' }) unfilledAction: UnfilledAction;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** One run of a group: written by the routing engine, listed by the internal API. */
@Entity('routing_run')
export class RoutingRunRow {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column('uuid', { name: 'group_id', nullable: true }) groupId: string | null;
  @Column('text') trigger: RoutingRunTrigger;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
  @Column('int', { name: 'orders_considered' }) ordersConsidered: number;
  @Column('int', { name: 'items_allocated' }) itemsAllocated: number;
  @Column('int', { name: 'items_unfilled' }) itemsUnfilled: number;
  @Column('jsonb', { name: 'by_rule' }) byRule: { ruleId: string; itemsAllocated: number }[];
}
