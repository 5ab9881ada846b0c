import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { isSent } from '../api/common.dto';

export class ChannelAvailabilityQueryDto {
  /** The product, by id; exactly one of productId and sku. */
  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf(isSent)
  @IsUUID()
  productId?: string;

  /** The product, by SKU; exactly one of productId and sku. @example "SKU-1" */
  @ValidateIf(isSent)
  @IsString()
  @Length(1, 64)
  sku?: string;
}

export class ChannelAvailabilityDto {
  @ApiProperty({ format: 'uuid' })
  productId: string;
  /** @example "SKU-1" */
  sku: string;
  /** Units the channel may sell: brokerable stock of its facilities, minus units waiting in the queues, minus its threshold; never below 0. @example 8 */
  available: number;
}

export class AvailabilityChangeDto extends ChannelAvailabilityDto {
  /** When the change was committed. */
  at: Date;
}

export class AvailabilityChangePageDto {
  @ApiProperty({ type: [AvailabilityChangeDto] })
  items: AvailabilityChangeDto[];
  /** Where to go on from; never null: at the end it is where to poll again for newer changes. */
  nextCursor: string;
}

export class AvailabilitySnapshotDto {
  /** When the snapshot was taken (the nightly job). */
  takenAt: Date;
  /** The feed cursor the snapshot's values correspond to: read the change feed from it to follow on. */
  feedCursor: string;
  @ApiProperty({ type: [ChannelAvailabilityDto] })
  items: ChannelAvailabilityDto[];
  /** The next page of this snapshot; null after the last. */
  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
