import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';

export class ReadyForPickupDto {
  /** The store the order is collected at: its pickupFacilityId. */
  @IsUUID()
  facilityId: string;
}

export class PickupProofDto {
  /** The name of the person who collected the order. @example "Ada Lovelace" */
  @IsString()
  @Length(1, 200)
  name: string;

  /** The kind of identity document shown. @example "PASSPORT" */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  idType?: string;

  /** Its number. @example "X1234567" */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  idNumber?: string;
}

export class HandoverDto {
  /** Who collected the order; kept with the handover and shown in the items' history. */
  @IsObject()
  @ValidateNested()
  @Type(() => PickupProofDto)
  proof: PickupProofDto;
}
