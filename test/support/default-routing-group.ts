import type { RoutingGroup } from '../../libs/data/src/routing/routing-config';

/** The routing group the migrations seed, as the engine reads it: nearest single facility, else a split nearest first, else backorder. */
export const DEFAULT_ROUTING_GROUP: RoutingGroup = {
  id: 'default-group',
  name: 'Default',
  trigger: 'ORDER_APPROVED',
  cron: null,
  status: 'ACTIVE',
  routings: [
    {
      id: 'all-orders',
      name: 'All orders',
      sequence: 10,
      status: 'ACTIVE',
      orderFilters: [],
      orderSorts: [{ field: 'orderDate', direction: 'asc' }],
      rules: [
        {
          id: 'nearest-single',
          name: 'Nearest facility with every item',
          sequence: 10,
          status: 'ACTIVE',
          assignment: 'SINGLE',
          inventoryFilters: [],
          inventorySorts: [{ field: 'distance', direction: 'asc' }],
          unfilledAction: { type: 'NEXT_RULE' },
        },
        {
          id: 'nearest-split',
          name: 'Split over the nearest facilities',
          sequence: 20,
          status: 'ACTIVE',
          assignment: 'MULTI',
          inventoryFilters: [],
          inventorySorts: [{ field: 'distance', direction: 'asc' }],
          unfilledAction: { type: 'MOVE_TO_QUEUE', queue: 'BACKORDER' },
        },
      ],
    },
  ],
};
