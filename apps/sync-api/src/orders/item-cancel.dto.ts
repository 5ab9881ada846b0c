import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';

export class CancelItemDto {
  /** Cancelling needs no body; a body may only give a reason. */
  static readonly bodyIsOptional = true;

  /** Recorded in the item's history and in the inventory ledger for a released reservation. @example "customer request" */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class UpdateOrderItemDto {
  /** When the waiting item is cancelled unless allocated first (an ISO 8601 time with its offset); null: never. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true, example: '2026-12-24T00:00:00Z' })
  @ValidateIf((_object, value) => value !== null)
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'autoCancelAt must be an ISO 8601 time with its offset, or null' })
  @Matches(/T.*(Z|[+-]\d\d:?\d\d)$/, { message: 'autoCancelAt must be an ISO 8601 time with its offset, or null' })
  autoCancelAt!: string | null;
}
