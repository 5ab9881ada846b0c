import { FACILITY_GROUP_TYPES, type FacilityGroupType } from '@app/data';
import { ApiProperty } from '@nestjs/swagger';
import { PageDto } from '../api/page.dto';
import { IntegerProperty, UuidProperty } from '../api/schema-properties';

export class FacilityGroupMemberViewDto {
  @UuidProperty()
  facilityId: string;

  /** Lower comes first. */
  @IntegerProperty()
  sequence: number;
}

export class FacilityGroupDto {
  @UuidProperty()
  id: string;

  /** @example "NY-STORES" */
  code: string;

  /** @example "New York stores" */
  name: string;

  @ApiProperty({ enum: FACILITY_GROUP_TYPES })
  type: FacilityGroupType;

  /** In the group's order. */
  members: FacilityGroupMemberViewDto[];

  createdAt: Date;

  updatedAt: Date;
}

export class FacilityGroupPageDto extends PageDto(FacilityGroupDto) {}
