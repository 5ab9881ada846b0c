import { buildMessage, ValidateBy } from 'class-validator';
import { isLocalDate } from '@app/warehouse';

/** A calendar date YYYY-MM-DD that exists, as the reports and ETL windows take them (local to WAREHOUSE_TZ). */
export function IsLocalDate(): PropertyDecorator {
  return ValidateBy({
    name: 'isLocalDate',
    validator: {
      validate: (value: unknown) => isLocalDate(value),
      defaultMessage: buildMessage((prefix) => `${prefix}$property must be a date written YYYY-MM-DD`),
    },
  });
}
