import { ValidateBy, ValidationArguments } from 'class-validator';
import { conditionProblem, cronProblem, unfilledActionProblem } from '@app/data';

/**
 * A property of a filter condition, held to the domain's rules for order (or inventory) filters:
 * the condition is checked whole and only the property at fault (`field`, then `operator`, then
 * `value`) is flagged, so that the error names e.g. `inventoryFilters[1].value`.
 */
export function IsConditionPart(kind: 'order' | 'inventory'): PropertyDecorator {
  const problem = (args: ValidationArguments) => conditionProblem(kind, args.object);
  return ValidateBy({
    name: 'isConditionPart',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => problem(args!)?.property !== args!.property,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} ${problem(args!)?.message ?? 'is invalid'}`,
    },
  });
}

/** A property of an unfilled action: `queue` exactly with MOVE_TO_QUEUE, `days` exactly with AUTO_CANCEL_DAYS. */
export function IsUnfilledActionPart(): PropertyDecorator {
  const problem = (args: ValidationArguments) => unfilledActionProblem(args.object);
  return ValidateBy({
    name: 'isUnfilledActionPart',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) => problem(args!)?.property !== args!.property,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} ${problem(args!)?.message ?? 'is invalid'}`,
    },
  });
}

/** A cron expression of 5 or 6 fields that BullMQ's schedulers accept. */
export function IsCron(): PropertyDecorator {
  return ValidateBy({
    name: 'isCron',
    validator: {
      validate: (value: unknown) => cronProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => `${args!.property} ${cronProblem(args!.value) ?? 'is invalid'}`,
    },
  });
}
