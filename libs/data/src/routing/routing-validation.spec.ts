import { cronProblem, routingProblems, ruleProblems, unfilledActionProblem } from './routing-validation';

describe('routing configuration checks', () => {
  it.each(['*/15 * * * *', '0 2 * * 1-5', '30 0 2 * * *', '0 0 L * *', '0 9 * JAN MON'])('takes the cron %p', (cron) => {
    expect(cronProblem(cron)).toBeUndefined();
  });

  it.each([
    '',
    '* * * *',
    '0 0 0 * * * *',
    '@daily',
    '61 * * * *',
    '0 0 31 2 *',
    'a b c d e',
    '*/0 * * * *',
    42,
    null,
    `${'1,'.repeat(100)}1 * * * *`,
  ])('refuses the cron %p', (cron) => {
    expect(cronProblem(cron)).toEqual(expect.any(String));
  });

  it('asks for a queue exactly with MOVE_TO_QUEUE and for days >= 1 exactly with AUTO_CANCEL_DAYS', () => {
    expect(unfilledActionProblem({ type: 'NEXT_RULE' })).toBeUndefined();
    expect(unfilledActionProblem({ type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' })).toBeUndefined();
    expect(unfilledActionProblem({ type: 'AUTO_CANCEL_DAYS', days: 1 })).toBeUndefined();
    expect(unfilledActionProblem({ type: 'MOVE_TO_QUEUE' })?.property).toBe('queue');
    expect(unfilledActionProblem({ type: 'MOVE_TO_QUEUE', queue: 'two words' })?.property).toBe('queue');
    expect(unfilledActionProblem({ type: 'NEXT_RULE', queue: 'BACKORDER' })?.property).toBe('queue');
    expect(unfilledActionProblem({ type: 'AUTO_CANCEL_DAYS', days: 0 })?.property).toBe('days');
    expect(unfilledActionProblem({ type: 'AUTO_CANCEL_DAYS', days: 2.5 })?.property).toBe('days');
    expect(unfilledActionProblem({ type: 'MOVE_TO_QUEUE', queue: 'Q', days: 3 })?.property).toBe('days');
    expect(unfilledActionProblem({ type: 'LATER' })?.property).toBe('type');
  });

  it('names each bad condition and sort by its path', () => {
    expect(
      routingProblems({
        orderFilters: [
          { field: 'priority', operator: 'greater', value: 5 },
          { field: 'priority', operator: 'greater', value: 'high' },
        ],
        orderSorts: [{ field: 'distance', direction: 'asc' }],
      }).map((problem) => problem.field),
    ).toEqual(['orderFilters[1].value', 'orderSorts[0].field']);
    expect(
      ruleProblems({
        inventoryFilters: [{ field: 'orderTotal', operator: 'equals', value: 1 }],
        inventorySorts: [{ field: 'distance', direction: 'sideways' }],
        unfilledAction: { type: 'AUTO_CANCEL_DAYS' },
      }).map((problem) => problem.field),
    ).toEqual(['inventoryFilters[0].field', 'inventorySorts[0].direction', 'unfilledAction.days']);
  });

  it('names what is not a list or an object, rather than failing on it', () => {
    expect(routingProblems({ orderFilters: [null, [{ field: 'tag', operator: 'equals', value: 'vip' }]], orderSorts: 'orderDate' })).toEqual([
      { field: 'orderFilters[0]', message: 'must be an object' },
      { field: 'orderFilters[1]', message: 'must be an object' },
      { field: 'orderSorts', message: 'must be a list' },
    ]);
    expect(ruleProblems({ inventoryFilters: [], inventorySorts: [], unfilledAction: 'NEXT_RULE' })).toEqual([
      { field: 'unfilledAction', message: 'must be an object' },
    ]);
  });
});
