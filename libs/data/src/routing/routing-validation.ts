import { parseExpression } from 'cron-parser';
import { conditionProblem } from './condition-rules';
import { INVENTORY_SORT_FIELDS, ORDER_SORT_FIELDS, SORT_DIRECTIONS, UNFILLED_ACTION_TYPES, UnfilledActionType } from './routing-config';

/** What a queue is named: the brokering queues and a merchant's own codes alike. */
export const QUEUE_CODE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
export const MAX_AUTO_CANCEL_DAYS = 3650;
const MAX_CRON_LENGTH = 200;

/**
 * Why `cron` is not a schedule BullMQ can keep; undefined when it is. Five fields (minute first) or
 * six (second first), checked by cron-parser, the parser BullMQ's job schedulers use, so that a
 * schedule accepted here never fails when it is set up.
 */
export function cronProblem(cron: unknown): string | undefined {
  if (typeof cron !== 'string' || cron.length > MAX_CRON_LENGTH) return `must be a cron expression of at most ${MAX_CRON_LENGTH} characters`;
  const fields = cron.trim().split(/\s+/);
  if (cron.trim() === '' || fields.length < 5 || fields.length > 6) return 'must have 5 fields (minute hour day month weekday) or 6 (second first)';
  try {
    parseExpression(cron, { utc: true });
    return undefined;
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
}

export interface UnfilledActionProblem {
  property: 'type' | 'queue' | 'days';
  message: string;
}

/** Why an unfilled action is not valid (which property is wrong); undefined when it is. */
export function unfilledActionProblem(action: { type?: unknown; queue?: unknown; days?: unknown }): UnfilledActionProblem | undefined {
  const { type, queue, days } = action;
  if (typeof type !== 'string' || !UNFILLED_ACTION_TYPES.includes(type as UnfilledActionType)) {
    return { property: 'type', message: `must be one of ${UNFILLED_ACTION_TYPES.join(', ')}` };
  }
  if (type === 'MOVE_TO_QUEUE') {
    if (typeof queue !== 'string' || !QUEUE_CODE_PATTERN.test(queue)) {
      return { property: 'queue', message: 'is required with MOVE_TO_QUEUE: a queue code of 1 to 64 letters, digits, . _ or -' };
    }
  } else if (queue !== undefined) {
    return { property: 'queue', message: 'is only for MOVE_TO_QUEUE' };
  }
  if (type === 'AUTO_CANCEL_DAYS') {
    if (typeof days !== 'number' || !Number.isSafeInteger(days) || days < 1 || days > MAX_AUTO_CANCEL_DAYS) {
      return { property: 'days', message: `is required with AUTO_CANCEL_DAYS: an integer from 1 to ${MAX_AUTO_CANCEL_DAYS}` };
    }
  } else if (days !== undefined) {
    return { property: 'days', message: 'is only for AUTO_CANCEL_DAYS' };
  }
  return undefined;
}

const fieldPath = (parent: string, property: string | undefined) => (property === undefined ? parent : `${parent}.${property}`);

export interface RoutingProblem {
  /** A path such as `inventoryFilters[1].value`. */
  field: string;
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function listProblems(list: unknown, path: string, each: (element: Record<string, unknown>, index: number) => RoutingProblem[]): RoutingProblem[] {
  if (!Array.isArray(list)) return [{ field: path, message: 'must be a list' }];
  return list.flatMap((element: unknown, index) =>
    isObject(element) ? each(element, index) : [{ field: `${path}[${index}]`, message: 'must be an object' }],
  );
}

function sortProblems(sorts: unknown, fields: readonly string[], path: string): RoutingProblem[] {
  return listProblems(sorts, path, (sort, index) => [
    ...(typeof sort.field === 'string' && fields.includes(sort.field)
      ? []
      : [{ field: `${path}[${index}].field`, message: `must be one of ${fields.join(', ')}` }]),
    ...(typeof sort.direction === 'string' && (SORT_DIRECTIONS as readonly string[]).includes(sort.direction)
      ? []
      : [{ field: `${path}[${index}].direction`, message: `must be one of ${SORT_DIRECTIONS.join(', ')}` }]),
  ]);
}

function conditionProblems(kind: 'order' | 'inventory', conditions: unknown, path: string): RoutingProblem[] {
  return listProblems(conditions, path, (condition, index) => {
    const problem = conditionProblem(kind, condition);
    return problem === undefined ? [] : [{ field: `${path}[${index}].${problem.property}`, message: problem.message }];
  });
}

/** What is wrong with a routing's filters and sorts, each named by its path. */
export function routingProblems(routing: { orderFilters: unknown; orderSorts: unknown }): RoutingProblem[] {
  return [...conditionProblems('order', routing.orderFilters, 'orderFilters'), ...sortProblems(routing.orderSorts, ORDER_SORT_FIELDS, 'orderSorts')];
}

/** What is wrong with a rule's filters, sorts and unfilled action, each named by its path. */
export function ruleProblems(rule: { inventoryFilters: unknown; inventorySorts: unknown; unfilledAction: unknown }): RoutingProblem[] {
  const action = isObject(rule.unfilledAction) ? unfilledActionProblem(rule.unfilledAction) : { property: undefined, message: 'must be an object' };
  return [
    ...conditionProblems('inventory', rule.inventoryFilters, 'inventoryFilters'),
    ...sortProblems(rule.inventorySorts, INVENTORY_SORT_FIELDS, 'inventorySorts'),
    ...(action === undefined ? [] : [{ field: fieldPath('unfilledAction', action.property), message: action.message }]),
  ];
}
