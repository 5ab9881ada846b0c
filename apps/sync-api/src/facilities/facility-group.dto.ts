import { FACILITY_GROUP_TYPES, type FacilityGroupType } from '@app/data';
import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';

export class CreateFacilityGroupDto {
  /** Unique code. @example "NY-STORES" */
  @IsString()
  @Length(1, 64)
  @Matches(/^[A-Za-z0-9._-]+$/, { message: 'code may contain letters, digits and . _ - only' })
  code: string;

  /** @example "New York stores" */
  @IsString()
  @Length(1, 500)
  name: string;

  /** What the group is for: brokering (routing rules), a channel's facilities, pickup, or other. */
  @ApiProperty({ enum: FACILITY_GROUP_TYPES })
  @IsIn(FACILITY_GROUP_TYPES)
  type: FacilityGroupType;
}

export class FacilityGroupMemberDto {
  /** The facility's place in the group: lower comes first. @example 10 */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  sequence: number;
}
