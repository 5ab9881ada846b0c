import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { APPROVAL_RULE_LIMITS, HOLD_REASONS, type HoldReason, MONEY_AT_LEAST } from '@app/data';

const { rules: MAX_RULES, listItems: MAX_ITEMS, itemLength: MAX_ITEM_LENGTH, nameLength: MAX_NAME_LENGTH } = APPROVAL_RULE_LIMITS;
const LIST: ApiPropertyOptions = { type: [String], minItems: 1, maxItems: MAX_ITEMS };

const StringList = () => (target: object, property: string) => {
  IsOptional()(target, property);
  IsArray()(target, property);
  ArrayMinSize(1)(target, property);
  ArrayMaxSize(MAX_ITEMS)(target, property);
  IsString({ each: true })(target, property);
  Length(1, MAX_ITEM_LENGTH, { each: true })(target, property);
};

/** Every condition given must hold; a list holds when the order's value is in it. No condition: every order matches. */
export class ApprovalConditionsDto {
  /** The order's total (in its currency) is at least this: a decimal money string. @example "500.00" */
  @ApiPropertyOptional({ type: String, pattern: MONEY_AT_LEAST.source, example: '500.00' })
  @IsOptional()
  @IsString()
  @Matches(MONEY_AT_LEAST, { message: 'orderTotalAtLeast must be a decimal money string >= 0, e.g. "500.00"' })
  orderTotalAtLeast?: string;

  /** The shipping address's country, as the order sends it. @example ["FR"] */
  @ApiPropertyOptional(LIST)
  @StringList()
  countryIn?: string[];

  /** The sales channel of the order. @example ["storefront"] */
  @ApiPropertyOptional(LIST)
  @StringList()
  salesChannelIn?: string[];

  /** The order carries one of these tags. @example ["vip"] */
  @ApiPropertyOptional(LIST)
  @StringList()
  tagIn?: string[];

  /** The customer email's domain (after @), compared case-insensitively. @example ["example.com"] */
  @ApiPropertyOptional(LIST)
  @StringList()
  emailDomainIn?: string[];
}

export class ApprovalRuleDto {
  /** @example "big orders from France" */
  @IsString()
  @Length(1, MAX_NAME_LENGTH)
  name: string;

  @IsObject()
  @ValidateNested()
  @Type(() => ApprovalConditionsDto)
  when: ApprovalConditionsDto;

  /** The reason a matching order is held with. */
  @ApiProperty({ enum: HOLD_REASONS })
  @IsIn(HOLD_REASONS)
  holdReason: HoldReason;
}

export class ApprovalRulesDto {
  /** In sequence: the first rule a new order matches holds it. An empty list approves every order. */
  @ApiProperty({ type: [ApprovalRuleDto], maxItems: MAX_RULES })
  @IsArray()
  @ArrayMaxSize(MAX_RULES)
  @ValidateNested({ each: true })
  @Type(() => ApprovalRuleDto)
  rules: ApprovalRuleDto[];
}
