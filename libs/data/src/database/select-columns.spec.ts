import 'reflect-metadata';
import { Facility } from '../entities/facility.entity';
import { OrderItem } from '../entities/order-item.entity';
import { SalesOrder } from '../entities/sales-order.entity';
import { selectColumns } from './select-columns';

describe('selectColumns', () => {
  it('aliases every column of an entity to its property, in declaration order', () => {
    expect(selectColumns(Facility)).toBe(
      'id, code, name, type, latitude::float8 AS "latitude", longitude::float8 AS "longitude", can_ship AS "canShip", ' +
        'can_pickup AS "canPickup", allow_brokering AS "allowBrokering", maximum_orders_per_day AS "maximumOrdersPerDay", ' +
        'created_at AS "createdAt", updated_at AS "updatedAt"',
    );
  });

  it('reads a date as its YYYY-MM-DD text', () => {
    expect(selectColumns(SalesOrder, ['id', 'promiseDate'])).toBe(`id, to_char(promise_date, 'YYYY-MM-DD') AS "promiseDate"`);
  });

  it('selects only the properties asked for, and never a relation', () => {
    expect(selectColumns(OrderItem, ['id', 'orderId', 'unitPrice'])).toBe('id, order_id AS "orderId", unit_price AS "unitPrice"');
    expect(selectColumns(OrderItem)).not.toContain('"order"');
  });

  it('refuses a property that is not a column', () => {
    expect(() => selectColumns(OrderItem, ['order'])).toThrow('OrderItem has no column for property order');
  });
});
