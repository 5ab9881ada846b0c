import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Length, ValidateIf, ValidateNested } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { CANDIDATE_REASONS, UNFILLED_ACTION_TYPES } from '@app/data';
import { CreateOrderDto } from '../../orders/order.dto';

const withoutOrder = (body: SimulateRoutingDto) => body.order === undefined;

/** Exactly one of orderId (a stored order, as brokering would route it now) and order (a new one, as POST /api/v1/orders takes it). */
export class SimulateRoutingDto {
  /** A stored order: its items that brokering would route now. */
  @ValidateIf(withoutOrder)
  @IsUUID()
  orderId?: string;

  /** A new order, as POST /api/v1/orders takes it. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => CreateOrderDto)
  order?: CreateOrderDto;

  /** The sales channel a new order would come from (routing filters read it); `default` when absent. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  salesChannel?: string;

  /** The routing group to route by (any status); the active ORDER_APPROVED group when absent. */
  @IsOptional()
  @IsUUID()
  groupId?: string;
}

export class SimulatedAllocationDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  itemId: string | null;
  @ApiProperty({ format: 'uuid' })
  productId: string;
  quantity: number;
  @ApiProperty({ format: 'uuid' })
  facilityId: string;
  @ApiProperty({ format: 'uuid' })
  ruleId: string;
}

export class SimulatedUnfilledDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  itemId: string | null;
  @ApiProperty({ format: 'uuid' })
  productId: string;
  quantity: number;
  /** BACKORDER when no rule filled the line and none parked it. */
  @ApiProperty({ enum: ['BACKORDER', ...UNFILLED_ACTION_TYPES.filter((type) => type !== 'NEXT_RULE')] })
  action: string;
  /** The queue the line would wait in. */
  queue: string;
}

export class CandidateTraceDto {
  @ApiProperty({ format: 'uuid' })
  facilityId: string;
  @ApiProperty({ type: Number, nullable: true, description: 'Null when the order has no coordinates' })
  distanceKm: number | null;
  /** Brokerable quantity of the order's remaining products at the facility. */
  brokerable: number;
  kept: boolean;
  @ApiProperty({ enum: CANDIDATE_REASONS })
  reason: string;
}

export class RuleTraceDto {
  @ApiProperty({ format: 'uuid' })
  ruleId: string;
  @ApiProperty({ enum: ['FULL', 'PARTIAL', 'NONE', 'NOT_RUN'] })
  outcome: string;
  /** Set when the rule found facilities but its allItemsAvailable or shipmentThreshold filter refused the result. */
  @ApiProperty({ enum: ['allItemsAvailable', 'shipmentThreshold'], required: false })
  refusedBy?: string;
  @ApiProperty({ type: [CandidateTraceDto] })
  candidates: CandidateTraceDto[];
}

export class SimulationDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The routing that took the order; null when none matched' })
  routingId: string | null;
  @ApiProperty({ type: [SimulatedAllocationDto] })
  allocations: SimulatedAllocationDto[];
  @ApiProperty({ type: [SimulatedUnfilledDto] })
  unfilled: SimulatedUnfilledDto[];
  @ApiProperty({ type: [RuleTraceDto] })
  trace: RuleTraceDto[];
}
