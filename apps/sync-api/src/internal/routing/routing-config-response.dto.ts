import { ApiProperty } from '@nestjs/swagger';
import {
  ASSIGNMENTS,
  type Assignment,
  ROUTING_GROUP_STATUSES,
  ROUTING_RUN_TRIGGERS,
  ROUTING_STATUSES,
  ROUTING_TRIGGERS,
  type RoutingGroupStatus,
  type RoutingRunTrigger,
  type RoutingStatus,
  type RoutingTrigger,
} from '@app/data';
import { PageDto } from '../../api/page.dto';
import { IntegerProperty, UuidProperty } from '../../api/schema-properties';
import { InventoryFilterDto, InventorySortDto, OrderFilterDto, OrderSortDto, UnfilledActionDto } from './routing-config.dto';

export class RoutingRuleDto {
  @UuidProperty()
  id: string;

  /** @example "Nearest facility with every item" */
  name: string;

  /** Rules run in this order (lower first). */
  @IntegerProperty({ minimum: 0 })
  sequence: number;

  @ApiProperty({ enum: ROUTING_STATUSES })
  status: RoutingStatus;

  @ApiProperty({ enum: ASSIGNMENTS })
  assignment: Assignment;

  inventoryFilters: InventoryFilterDto[];

  inventorySorts: InventorySortDto[];

  unfilledAction: UnfilledActionDto;
}

export class RoutingDto {
  @UuidProperty()
  id: string;

  /** @example "All orders" */
  name: string;

  /** Routings are tried in this order (lower first). */
  @IntegerProperty({ minimum: 0 })
  sequence: number;

  @ApiProperty({ enum: ROUTING_STATUSES })
  status: RoutingStatus;

  orderFilters: OrderFilterDto[];

  orderSorts: OrderSortDto[];

  /** By sequence. */
  rules: RoutingRuleDto[];
}

export class RoutingGroupDto {
  @UuidProperty()
  id: string;

  /** @example "Default" */
  name: string;

  @ApiProperty({ enum: ROUTING_TRIGGERS })
  trigger: RoutingTrigger;

  /** The schedule of a SCHEDULE group; null for ORDER_APPROVED. */
  @ApiProperty({ type: String, nullable: true, example: null })
  cron: string | null;

  @ApiProperty({ enum: ROUTING_GROUP_STATUSES })
  status: RoutingGroupStatus;

  /** By sequence. */
  routings: RoutingDto[];
}

export class RoutingGroupPageDto extends PageDto(RoutingGroupDto) {}

export class RoutingRunRuleDto {
  @UuidProperty()
  ruleId: string;

  @IntegerProperty({ minimum: 0 })
  itemsAllocated: number;
}

export class RoutingRunDto {
  @UuidProperty()
  id: string;

  /** Null once the group has been deleted. */
  @UuidProperty({ nullable: true })
  groupId: string | null;

  /** EVENT: orders approved or stock arrived; SCHEDULE: the group's cron; MANUAL: an operator ran it. */
  @ApiProperty({ enum: ROUTING_RUN_TRIGGERS })
  trigger: RoutingRunTrigger;

  startedAt: Date;

  /** Null while the run is under way. */
  finishedAt: Date | null;

  @IntegerProperty({ minimum: 0 })
  ordersConsidered: number;

  @IntegerProperty({ minimum: 0 })
  itemsAllocated: number;

  @IntegerProperty({ minimum: 0 })
  itemsUnfilled: number;

  /** Items allocated by each rule that allocated any. */
  byRule: RoutingRunRuleDto[];
}

export class RoutingRunListDto {
  /** Newest first. */
  items: RoutingRunDto[];
}
