import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ASSIGNMENTS,
  type Assignment,
  CONDITION_OPERATORS,
  type ConditionOperator,
  type ConditionValue,
  INVENTORY_FILTER_FIELDS,
  INVENTORY_SORT_FIELDS,
  type InventoryFilterField,
  type InventorySortField,
  MAX_AUTO_CANCEL_DAYS,
  ORDER_FILTER_FIELDS,
  ORDER_SORT_FIELDS,
  type OrderFilterField,
  type OrderSortField,
  ROUTING_GROUP_STATUSES,
  ROUTING_STATUSES,
  ROUTING_TRIGGERS,
  type RoutingGroupStatus,
  type RoutingStatus,
  type RoutingTrigger,
  SORT_DIRECTIONS,
  type SortDirection,
  UNFILLED_ACTION_TYPES,
  type UnfilledActionType,
} from '@app/data';
import { QueryInt } from '../../api/common.dto';
import { IsConditionPart, IsCron, IsUnfilledActionPart } from './routing-config.validators';

const isSet =
  <T>(property: keyof T) =>
  (body: T) =>
    body[property] !== undefined;

const MAX_FILTERS = 20;
const MAX_SORTS = 5;

const SCALAR_VALUE = [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'number' }, { type: 'boolean' }];
/** A condition's value: a string, number or boolean, or a list of them for `in` and `not-in`. */
const CONDITION_VALUE = {
  oneOf: [...SCALAR_VALUE, { type: 'array', items: { oneOf: SCALAR_VALUE }, minItems: 1, maxItems: 100 }],
  description: "The field's type (a string, number, or `true`); with `in` and `not-in`, a list of 1 to 100 of them",
};

export class OrderFilterDto {
  /** `promiseDaysCutoff`: the promise date is within this many days; `tag`: the order has the tag (one of them). */
  @ApiProperty({ enum: ORDER_FILTER_FIELDS })
  @IsConditionPart('order')
  field: OrderFilterField;

  /** Which operators a field takes: strings equals/not-equals/in/not-in; numbers all of them. */
  @ApiProperty({ enum: CONDITION_OPERATORS })
  @IsConditionPart('order')
  operator: ConditionOperator;

  @ApiProperty({ ...CONDITION_VALUE, example: 'SHOPIFY' })
  @IsConditionPart('order')
  value: ConditionValue;
}

export class InventoryFilterDto {
  /**
   * `facilityGroup` (a group code; in/not-in), `facilityType`, `distanceKm` (less/less-equals),
   * `brokeringSafetyStock` (brokerable quantity greater-equals n), `ignoreFacilityOrderLimit` and
   * `allItemsAvailable` (equals true), `shipmentThreshold` (greater-equals n).
   */
  @ApiProperty({ enum: INVENTORY_FILTER_FIELDS })
  @IsConditionPart('inventory')
  field: InventoryFilterField;

  @ApiProperty({ enum: CONDITION_OPERATORS })
  @IsConditionPart('inventory')
  operator: ConditionOperator;

  @ApiProperty({ ...CONDITION_VALUE, example: 50 })
  @IsConditionPart('inventory')
  value: ConditionValue;
}

export class OrderSortDto {
  @ApiProperty({ enum: ORDER_SORT_FIELDS })
  @IsIn(ORDER_SORT_FIELDS)
  field: OrderSortField;

  @ApiProperty({ enum: SORT_DIRECTIONS })
  @IsIn(SORT_DIRECTIONS)
  direction: SortDirection;
}

export class InventorySortDto {
  @ApiProperty({ enum: INVENTORY_SORT_FIELDS })
  @IsIn(INVENTORY_SORT_FIELDS)
  field: InventorySortField;

  @ApiProperty({ enum: SORT_DIRECTIONS })
  @IsIn(SORT_DIRECTIONS)
  direction: SortDirection;
}

export class UnfilledActionDto {
  /** NEXT_RULE: the next rule tries; MOVE_TO_QUEUE: the items wait in `queue`; AUTO_CANCEL_DAYS: they wait in UNFILLABLE and are cancelled after `days`. */
  @ApiProperty({ enum: UNFILLED_ACTION_TYPES })
  @IsUnfilledActionPart()
  type: UnfilledActionType;

  /** Required with MOVE_TO_QUEUE (only then): BACKORDER, or a queue code of the merchant's. */
  @ApiPropertyOptional({ type: String, pattern: '^[A-Za-z0-9._-]{1,64}$', example: 'BACKORDER' })
  @IsUnfilledActionPart()
  queue?: string;

  /** Required with AUTO_CANCEL_DAYS (only then). */
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_AUTO_CANCEL_DAYS, example: 3 })
  @IsUnfilledActionPart()
  days?: number;
}

export class CreateRoutingGroupDto {
  /** @example "Store pickups" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** ORDER_APPROVED: routes every approved order (at most one such group is ACTIVE); SCHEDULE: runs on `cron`. */
  @ApiProperty({ enum: ROUTING_TRIGGERS })
  @IsIn(ROUTING_TRIGGERS)
  trigger: RoutingTrigger;

  /** Required with SCHEDULE (only then): 5 fields (minute hour day month weekday) or 6 (second first), in UTC. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: '*/15 * * * *' })
  @ValidateIf((body: CreateRoutingGroupDto) => body.cron !== undefined && body.cron !== null)
  @IsCron()
  cron?: string | null;

  @ApiProperty({ enum: ROUTING_GROUP_STATUSES })
  @IsIn(ROUTING_GROUP_STATUSES)
  status: RoutingGroupStatus;
}

export class UpdateRoutingGroupDto {
  /** @example "Store pickups" */
  @ValidateIf(isSet<UpdateRoutingGroupDto>('name'))
  @IsString()
  @Length(1, 200)
  name?: string;

  /** Moving a group to ORDER_APPROVED drops its cron. */
  @ApiPropertyOptional({ enum: ROUTING_TRIGGERS })
  @ValidateIf(isSet<UpdateRoutingGroupDto>('trigger'))
  @IsIn(ROUTING_TRIGGERS)
  trigger?: RoutingTrigger;

  /** Required with SCHEDULE (only then): 5 or 6 fields; null takes it away. */
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: '0 * * * *' })
  @ValidateIf((body: UpdateRoutingGroupDto) => body.cron !== undefined && body.cron !== null)
  @IsCron()
  cron?: string | null;

  @ApiPropertyOptional({ enum: ROUTING_GROUP_STATUSES })
  @ValidateIf(isSet<UpdateRoutingGroupDto>('status'))
  @IsIn(ROUTING_GROUP_STATUSES)
  status?: RoutingGroupStatus;
}

export class CreateRoutingDto {
  /** @example "Express orders" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** The routing's place in its group: an order takes the first ACTIVE routing whose filters all match. @example 10 */
  @ApiProperty({ type: 'integer' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sequence: number;

  @ApiProperty({ enum: ROUTING_STATUSES })
  @IsIn(ROUTING_STATUSES)
  status: RoutingStatus;

  /** All must match; none (the default) matches every order. */
  @ValidateIf(isSet<CreateRoutingDto>('orderFilters'))
  @IsArray()
  @ArrayMaxSize(MAX_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => OrderFilterDto)
  orderFilters?: OrderFilterDto[];

  /** In this order; orders that tie go by order date. None by default. */
  @ValidateIf(isSet<CreateRoutingDto>('orderSorts'))
  @IsArray()
  @ArrayMaxSize(MAX_SORTS)
  @ValidateNested({ each: true })
  @Type(() => OrderSortDto)
  orderSorts?: OrderSortDto[];
}

export class UpdateRoutingDto {
  /** @example "Express orders" */
  @ValidateIf(isSet<UpdateRoutingDto>('name'))
  @IsString()
  @Length(1, 200)
  name?: string;

  /** @example 20 */
  @ApiPropertyOptional({ type: 'integer' })
  @ValidateIf(isSet<UpdateRoutingDto>('sequence'))
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sequence?: number;

  @ApiPropertyOptional({ enum: ROUTING_STATUSES })
  @ValidateIf(isSet<UpdateRoutingDto>('status'))
  @IsIn(ROUTING_STATUSES)
  status?: RoutingStatus;

  /** Replaces the filters. */
  @ValidateIf(isSet<UpdateRoutingDto>('orderFilters'))
  @IsArray()
  @ArrayMaxSize(MAX_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => OrderFilterDto)
  orderFilters?: OrderFilterDto[];

  /** Replaces the sorts. */
  @ValidateIf(isSet<UpdateRoutingDto>('orderSorts'))
  @IsArray()
  @ArrayMaxSize(MAX_SORTS)
  @ValidateNested({ each: true })
  @Type(() => OrderSortDto)
  orderSorts?: OrderSortDto[];
}

export class CreateRoutingRuleDto {
  /** @example "Nearest store within 50 km" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** The rule's place in its routing: rules run in sequence over the items still unfilled. @example 10 */
  @ApiProperty({ type: 'integer' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sequence: number;

  @ApiProperty({ enum: ROUTING_STATUSES })
  @IsIn(ROUTING_STATUSES)
  status: RoutingStatus;

  /** SINGLE: one facility takes every remaining item; MULTI: the items may be split over facilities (never a line). */
  @ApiProperty({ enum: ASSIGNMENTS })
  @IsIn(ASSIGNMENTS)
  assignment: Assignment;

  /** All must hold for a facility to be a candidate; none by default. */
  @ValidateIf(isSet<CreateRoutingRuleDto>('inventoryFilters'))
  @IsArray()
  @ArrayMaxSize(MAX_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => InventoryFilterDto)
  inventoryFilters?: InventoryFilterDto[];

  /** In this order; ties go to more brokerable quantity, then facility code. None by default. */
  @ValidateIf(isSet<CreateRoutingRuleDto>('inventorySorts'))
  @IsArray()
  @ArrayMaxSize(MAX_SORTS)
  @ValidateNested({ each: true })
  @Type(() => InventorySortDto)
  inventorySorts?: InventorySortDto[];

  /** What happens to the items the rule leaves unfilled; NEXT_RULE by default. */
  @ValidateIf(isSet<CreateRoutingRuleDto>('unfilledAction'))
  @IsObject()
  @ValidateNested()
  @Type(() => UnfilledActionDto)
  unfilledAction?: UnfilledActionDto;
}

export class UpdateRoutingRuleDto {
  /** @example "Nearest store within 50 km" */
  @ValidateIf(isSet<UpdateRoutingRuleDto>('name'))
  @IsString()
  @Length(1, 200)
  name?: string;

  /** @example 20 */
  @ApiPropertyOptional({ type: 'integer' })
  @ValidateIf(isSet<UpdateRoutingRuleDto>('sequence'))
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sequence?: number;

  @ApiPropertyOptional({ enum: ROUTING_STATUSES })
  @ValidateIf(isSet<UpdateRoutingRuleDto>('status'))
  @IsIn(ROUTING_STATUSES)
  status?: RoutingStatus;

  @ApiPropertyOptional({ enum: ASSIGNMENTS })
  @ValidateIf(isSet<UpdateRoutingRuleDto>('assignment'))
  @IsIn(ASSIGNMENTS)
  assignment?: Assignment;

  /** Replaces the filters. */
  @ValidateIf(isSet<UpdateRoutingRuleDto>('inventoryFilters'))
  @IsArray()
  @ArrayMaxSize(MAX_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => InventoryFilterDto)
  inventoryFilters?: InventoryFilterDto[];

  /** Replaces the sorts. */
  @ValidateIf(isSet<UpdateRoutingRuleDto>('inventorySorts'))
  @IsArray()
  @ArrayMaxSize(MAX_SORTS)
  @ValidateNested({ each: true })
  @Type(() => InventorySortDto)
  inventorySorts?: InventorySortDto[];

  /** Replaces the unfilled action. */
  @ValidateIf(isSet<UpdateRoutingRuleDto>('unfilledAction'))
  @IsObject()
  @ValidateNested()
  @Type(() => UnfilledActionDto)
  unfilledAction?: UnfilledActionDto;
}

export class ListRoutingRunsQueryDto {
  /** Only the runs of this group. */
  @IsOptional()
  @IsUUID()
  groupId?: string;

  /** How many runs, newest first, 1..200 (default 50). */
  @ApiPropertyOptional({ type: 'integer', default: 50 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;
}
