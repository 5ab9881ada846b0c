import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrateDatabase } from '@app/platform';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { ORDER_ITEM_STATUSES, ORDER_STATUSES } from '../lifecycle/statuses';
import { PICKLIST_STATUSES, SHIPMENT_STATUSES } from './fulfilment.entity';
import { SHIPPING_METHODS } from '../orders/order-fields';
import { ASSIGNMENTS, ROUTING_GROUP_STATUSES, ROUTING_RUN_TRIGGERS, ROUTING_STATUSES, ROUTING_TRIGGERS } from '../routing/routing-config';
import { REJECTION_REASONS } from '../routing/rejection-effect';
import { HOLD_REASONS } from '../approval/hold-reasons';
import { RETURN_REASONS, RETURN_STATUSES } from '../returns/return-reasons';
import { WEBHOOK_DELIVERY_STATUSES } from '../webhooks/webhook-events';
import { IMPORT_TOPICS } from './channel-import-error.entity';
import { ORDER_HISTORY_TYPES } from './order-history-entry.entity';
import { PURCHASE_ORDER_STATUSES, TRANSFER_ORDER_STATUSES } from '../supply/supply-statuses';

/**
 * The schema is owned by the migrations; the entities describe it. Every table an entity maps
 * must have exactly the entity's columns, with the same types and nullability, and the columns
 * whose values come from a declared list (statuses, shipping methods, routing settings, rejection
 * reasons) must take exactly those values, so that a migration and the code cannot drift apart
 * unnoticed.
 */
describe('entities match the migrated schema', () => {
  const name = `oms_entities_${randomBytes(4).toString('hex')}`;
  const options = primaryDataSourceOptions(primaryDatabaseUrl(name), 'entities-int-spec');
  let dataSource: DataSource;

  beforeAll(async () => {
    await migrateDatabase(options);
    dataSource = await new DataSource(options).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabases(primaryDatabaseUrl(name));
  });

  it('maps every column of every entity table, with its type and nullability', async () => {
    const columns = await dataSource.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: 'YES' | 'NO' }[]>(
      `SELECT table_name, column_name, udt_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const normalise = (type: string) =>
      ({ int: 'int4', integer: 'int4', bigint: 'int8', timestamptz: 'timestamptz', char: 'bpchar', boolean: 'bool', numeric: 'numeric' })[type] ??
      type;

    for (const entity of dataSource.entityMetadatas) {
      const inDatabase = columns.filter((c) => c.table_name === entity.tableName);
      expect(inDatabase.length).toBeGreaterThan(0);
      const described = entity.columns.map((c) => ({
        column: c.databaseName,
        // PostgreSQL names an array type after its element type, with a leading underscore.
        type: `${c.isArray ? '_' : ''}${normalise(String(c.type))}`,
        nullable: c.isNullable,
      }));
      const actual = inDatabase.map((c) => ({ column: c.column_name, type: c.udt_name, nullable: c.is_nullable === 'YES' }));
      const byName = (a: { column: string }, b: { column: string }) => a.column.localeCompare(b.column);
      expect({ table: entity.tableName, columns: described.sort(byName) }).toEqual({ table: entity.tableName, columns: actual.sort(byName) });
    }
  });

  it.each([
    ['sales_order', 'status', ORDER_STATUSES],
    ['sales_order', 'hold_reason', HOLD_REASONS],
    ['approval_rule', 'hold_reason', HOLD_REASONS],
    ['order_item', 'status', ORDER_ITEM_STATUSES],
    ['routing_group', 'status', ROUTING_GROUP_STATUSES],
    ['routing_group', 'trigger', ROUTING_TRIGGERS],
    ['routing', 'status', ROUTING_STATUSES],
    ['routing_rule', 'status', ROUTING_STATUSES],
    ['routing_rule', 'assignment', ASSIGNMENTS],
    ['routing_run', 'trigger', ROUTING_RUN_TRIGGERS],
    ['order_item_rejection', 'reason', REJECTION_REASONS],
    ['sales_order', 'shipping_method', SHIPPING_METHODS],
    ['order_return', 'status', RETURN_STATUSES],
    ['order_return_item', 'reason', RETURN_REASONS],
    ['picklist', 'status', PICKLIST_STATUSES],
    ['shipment', 'status', SHIPMENT_STATUSES],
    ['webhook_delivery', 'status', WEBHOOK_DELIVERY_STATUSES],
    ['channel_import_error', 'topic', IMPORT_TOPICS],
    ['order_history', 'type', ORDER_HISTORY_TYPES],
    ['purchase_order', 'status', PURCHASE_ORDER_STATUSES],
    ['transfer_order', 'status', TRANSFER_ORDER_STATUSES],
  ])('the CHECK constraint on %s.%s allows exactly the declared values', async (table, column, declared) => {
    const checks = await dataSource.query<{ definition: string }[]>(
      `SELECT pg_get_constraintdef(c.oid) AS definition FROM pg_constraint c
        WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2)]`,
      [table, column],
    );
    expect(checks).toHaveLength(1);
    const allowed = [...checks[0].definition.matchAll(/'([^']*)'::text/g)].map(([, value]) => value);
    expect(allowed.sort()).toEqual([...declared].sort());
  });

  it('stamps updated_at on every update of every table that has one (a trigger, not each statement)', async () => {
    const stamped = await dataSource.query<{ table_name: string; stamped: boolean }[]>(
      `SELECT c.table_name, EXISTS (SELECT 1 FROM information_schema.triggers t
                                      WHERE t.event_object_table = c.table_name AND t.event_manipulation = 'UPDATE'
                                        AND t.action_timing = 'BEFORE' AND t.action_statement = 'EXECUTE FUNCTION stamp_updated_at()') AS stamped
         FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.column_name = 'updated_at' ORDER BY c.table_name`,
    );
    expect(stamped.filter((table) => !table.stamped)).toEqual([]);
    expect(stamped.map((table) => table.table_name)).toEqual(
      expect.arrayContaining(['facility', 'inventory_item', 'order_item', 'product', 'sales_order']),
    );
  });
});
