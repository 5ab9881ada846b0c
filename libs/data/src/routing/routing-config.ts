/**
 * The routing configuration as merchants write it and the engine reads it (HotWax's routing
 * groups, order routings and inventory rules). The API's enums, the database's CHECK constraints
 * and the validation of conditions all come from these lists.
 */
export const ROUTING_TRIGGERS = ['ORDER_APPROVED', 'SCHEDULE'] as const;
export type RoutingTrigger = (typeof ROUTING_TRIGGERS)[number];

export const ROUTING_GROUP_STATUSES = ['ACTIVE', 'PAUSED'] as const;
export type RoutingGroupStatus = (typeof ROUTING_GROUP_STATUSES)[number];

/** Statuses of routings and of rules: only ACTIVE ones run. */
export const ROUTING_STATUSES = ['ACTIVE', 'DRAFT', 'ARCHIVED'] as const;
export type RoutingStatus = (typeof ROUTING_STATUSES)[number];

export const ASSIGNMENTS = ['SINGLE', 'MULTI'] as const;
export type Assignment = (typeof ASSIGNMENTS)[number];

export const UNFILLED_ACTION_TYPES = ['NEXT_RULE', 'MOVE_TO_QUEUE', 'AUTO_CANCEL_DAYS'] as const;
export type UnfilledActionType = (typeof UNFILLED_ACTION_TYPES)[number];

export const CONDITION_OPERATORS = ['equals', 'not-equals', 'in', 'not-in', 'less', 'less-equals', 'greater', 'greater-equals'] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const SORT_DIRECTIONS = ['asc', 'desc'] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

export const ORDER_FILTER_FIELDS = [
  'salesChannel',
  'shippingMethod',
  'priority',
  'promiseDaysCutoff',
  'queue',
  'country',
  'tag',
  'orderTotal',
] as const;
export type OrderFilterField = (typeof ORDER_FILTER_FIELDS)[number];

export const ORDER_SORT_FIELDS = ['orderDate', 'priority', 'promiseDate'] as const;
export type OrderSortField = (typeof ORDER_SORT_FIELDS)[number];

export const INVENTORY_FILTER_FIELDS = [
  'facilityGroup',
  'facilityType',
  'distanceKm',
  'brokeringSafetyStock',
  'ignoreFacilityOrderLimit',
  'shipmentThreshold',
  'allItemsAvailable',
] as const;
export type InventoryFilterField = (typeof INVENTORY_FILTER_FIELDS)[number];

export const INVENTORY_SORT_FIELDS = ['distance', 'inventoryBalance', 'facilitySequence'] as const;
export type InventorySortField = (typeof INVENTORY_SORT_FIELDS)[number];

/**
 * Queues that brokering itself parks items in (BROKERING: new, not yet routed; REJECTED: rejected
 * by a facility, to be routed again); merchants name their own besides these.
 */
export const BROKERING_QUEUE = 'BROKERING';
export const BACKORDER_QUEUE = 'BACKORDER';
export const UNFILLABLE_QUEUE = 'UNFILLABLE';
export const REJECTED_QUEUE = 'REJECTED';

export interface Condition<Field extends string> {
  field: Field;
  operator: ConditionOperator;
  /** A string, number or boolean; a non-empty list of them with `in` and `not-in` (see condition-rules.ts). */
  value: ConditionValue;
}

export type ConditionScalar = string | number | boolean;
export type ConditionValue = ConditionScalar | ConditionScalar[];

export interface Sort<Field extends string> {
  field: Field;
  direction: SortDirection;
}

export type OrderFilter = Condition<OrderFilterField>;
export type OrderSort = Sort<OrderSortField>;
export type InventoryFilter = Condition<InventoryFilterField>;
export type InventorySort = Sort<InventorySortField>;

export interface UnfilledAction {
  type: UnfilledActionType;
  /** Required with MOVE_TO_QUEUE: the queue the unfilled items wait in. */
  queue?: string;
  /** Required (>= 1) with AUTO_CANCEL_DAYS: the items wait in UNFILLABLE and are cancelled after this many days. */
  days?: number;
}

export interface RoutingRule {
  id: string;
  name: string;
  sequence: number;
  status: RoutingStatus;
  assignment: Assignment;
  inventoryFilters: InventoryFilter[];
  inventorySorts: InventorySort[];
  unfilledAction: UnfilledAction;
}

export interface Routing {
  id: string;
  name: string;
  sequence: number;
  status: RoutingStatus;
  orderFilters: OrderFilter[];
  orderSorts: OrderSort[];
  /** Sorted by sequence. */
  rules: RoutingRule[];
}

export interface RoutingGroup {
  id: string;
  name: string;
  trigger: RoutingTrigger;
  /** 5 or 6 cron fields with SCHEDULE, null with ORDER_APPROVED. */
  cron: string | null;
  status: RoutingGroupStatus;
  /** Sorted by sequence. */
  routings: Routing[];
}

/** What started a routing run: an order event (approval, stock arriving), a group's schedule, or an operator. */
export const ROUTING_RUN_TRIGGERS = ['EVENT', 'SCHEDULE', 'MANUAL'] as const;
export type RoutingRunTrigger = (typeof ROUTING_RUN_TRIGGERS)[number];

/** What one run of a group did, as the engine records it. */
export interface RoutingRun {
  id: string;
  /** Null once the group is deleted: the run stays in the history. */
  groupId: string | null;
  trigger: RoutingRunTrigger;
  startedAt: Date;
  finishedAt: Date | null;
  ordersConsidered: number;
  itemsAllocated: number;
  itemsUnfilled: number;
  byRule: { ruleId: string; itemsAllocated: number }[];
}
