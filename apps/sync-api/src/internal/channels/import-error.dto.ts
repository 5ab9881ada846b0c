import { IMPORT_TOPICS, type ImportTopic } from '@app/data';
import { ApiProperty, PickType } from '@nestjs/swagger';
import { PageQueryDto } from '../../api/common.dto';

export class ImportErrorsQueryDto extends PickType(PageQueryDto, ['limit'] as const) {}

export class ImportErrorDto {
  /** The channel's order id, when the payload named one. @example "820982911946154508" */
  @ApiProperty({ type: String, nullable: true })
  externalId: string | null;

  /** The webhook topic. */
  @ApiProperty({ enum: IMPORT_TOPICS })
  topic: ImportTopic;

  /** What was wrong. @example "unknown SKU TEE-XL" */
  error: string;

  /** When it was (last) received. */
  at: Date;
}

export class ImportErrorListDto {
  @ApiProperty({ type: [ImportErrorDto] })
  items: ImportErrorDto[];
}
