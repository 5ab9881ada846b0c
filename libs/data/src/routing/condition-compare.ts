import type { Condition, ConditionScalar } from './routing-config';

/** Whether a value satisfies a (validated) condition's operator and value. */
export function compareCondition(actual: ConditionScalar, condition: Pick<Condition<string>, 'operator' | 'value'>): boolean {
  const { operator, value } = condition;
  switch (operator) {
    case 'equals':
      return actual === value;
    case 'not-equals':
      return actual !== value;
    case 'in':
      return Array.isArray(value) && value.includes(actual);
    case 'not-in':
      return Array.isArray(value) && !value.includes(actual);
    case 'less':
      return actual < (value as ConditionScalar);
    case 'less-equals':
      return actual <= (value as ConditionScalar);
    case 'greater':
      return actual > (value as ConditionScalar);
    case 'greater-equals':
      return actual >= (value as ConditionScalar);
  }
}
