import type { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';

/** A page of keyset paging; `class XPageDto extends PageDto(XDto) {}` names its schema. */
export function PageDto<T>(item: Type<T>) {
  abstract class Page {
    @ApiProperty({ type: [item] })
    items: T[];

    @ApiProperty({ type: String, nullable: true, description: 'Send as `cursor` for the next page; null on the last page' })
    nextCursor: string | null;
  }
  return Page;
}
