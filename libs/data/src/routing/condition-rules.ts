import {
  ConditionOperator,
  ConditionScalar,
  INVENTORY_FILTER_FIELDS,
  InventoryFilterField,
  ORDER_FILTER_FIELDS,
  OrderFilterField,
} from './routing-config';

type ValueKind = 'string' | 'number' | 'nonNegativeInteger' | 'true';

interface FieldRule {
  operators: readonly ConditionOperator[];
  value: ValueKind;
}

const SET_OPERATORS = ['equals', 'not-equals', 'in', 'not-in'] as const;
const ORDERED_OPERATORS = ['equals', 'not-equals', 'in', 'not-in', 'less', 'less-equals', 'greater', 'greater-equals'] as const;

/** Which operators each order filter field takes, and the type of its value. */
export const ORDER_FILTER_RULES: Record<OrderFilterField, FieldRule> = {
  salesChannel: { operators: SET_OPERATORS, value: 'string' },
  shippingMethod: { operators: SET_OPERATORS, value: 'string' },
  priority: { operators: ORDERED_OPERATORS, value: 'nonNegativeInteger' },
  /** Days from today to the order's promise date; orders without one never match. */
  promiseDaysCutoff: { operators: ORDERED_OPERATORS, value: 'nonNegativeInteger' },
  queue: { operators: SET_OPERATORS, value: 'string' },
  country: { operators: SET_OPERATORS, value: 'string' },
  /** equals/in: the order has the tag (one of them); not-equals/not-in: it has none of them. */
  tag: { operators: SET_OPERATORS, value: 'string' },
  orderTotal: { operators: ORDERED_OPERATORS, value: 'number' },
};

/** Which operators each inventory filter field takes, and the type of its value. */
export const INVENTORY_FILTER_RULES: Record<InventoryFilterField, FieldRule> = {
  facilityGroup: { operators: SET_OPERATORS, value: 'string' },
  facilityType: { operators: SET_OPERATORS, value: 'string' },
  distanceKm: { operators: ['less', 'less-equals'], value: 'number' },
  brokeringSafetyStock: { operators: ['greater', 'greater-equals'], value: 'nonNegativeInteger' },
  ignoreFacilityOrderLimit: { operators: ['equals'], value: 'true' },
  shipmentThreshold: { operators: ['greater-equals'], value: 'number' },
  allItemsAvailable: { operators: ['equals'], value: 'true' },
};

export interface ConditionProblem {
  /** `field`, `operator` or `value`: the property of the condition that is wrong. */
  property: 'field' | 'operator' | 'value';
  message: string;
}

const LIST_OPERATORS: readonly ConditionOperator[] = ['in', 'not-in'];
const MAX_LIST_LENGTH = 100;

/** Why a condition is not valid for order (or inventory) filters; undefined when it is. */
export function conditionProblem(
  kind: 'order' | 'inventory',
  condition: { field?: unknown; operator?: unknown; value?: unknown },
): ConditionProblem | undefined {
  const rules: Record<string, FieldRule> = kind === 'order' ? ORDER_FILTER_RULES : INVENTORY_FILTER_RULES;
  const fields = kind === 'order' ? ORDER_FILTER_FIELDS : INVENTORY_FILTER_FIELDS;
  const { field, operator, value } = condition;
  if (typeof field !== 'string' || !Object.hasOwn(rules, field)) {
    return { property: 'field', message: `must be one of ${fields.join(', ')}` };
  }
  const rule = rules[field];
  if (typeof operator !== 'string' || !rule.operators.includes(operator as ConditionOperator)) {
    return { property: 'operator', message: `must be one of ${rule.operators.join(', ')} for ${field}` };
  }
  if (LIST_OPERATORS.includes(operator as ConditionOperator)) {
    const fits = Array.isArray(value) && value.length > 0 && value.length <= MAX_LIST_LENGTH && value.every((item) => isOfKind(item, rule.value));
    return fits
      ? undefined
      : { property: 'value', message: `must be a list of 1 to ${MAX_LIST_LENGTH} values for ${operator}, each ${describe(rule.value)}` };
  }
  return isOfKind(value, rule.value) ? undefined : { property: 'value', message: `must be ${describe(rule.value)} for ${field}` };
}

function isOfKind(value: unknown, kind: ValueKind): value is ConditionScalar {
  switch (kind) {
    case 'string':
      return typeof value === 'string' && value.length >= 1 && value.length <= 64;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'nonNegativeInteger':
      return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
    case 'true':
      return value === true;
  }
}

function describe(kind: ValueKind): string {
  switch (kind) {
    case 'string':
      return 'a string of 1 to 64 characters';
    case 'number':
      return 'a finite number';
    case 'nonNegativeInteger':
      return 'an integer >= 0';
    case 'true':
      return 'true';
  }
}
