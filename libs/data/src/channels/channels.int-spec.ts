import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { ConflictError, createPostgresPool, InvalidInputError, migrateDatabase, NotFoundError, postgresPoolConfig } from '@app/platform';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { OMS_MIGRATIONS, primaryDataSourceOptions } from '../database/data-source.options';
import { PrimaryDatabase } from '../database/primary-database';
import { SalesChannelRecords1764000002400 } from '../migrations/1764000002400-sales-channel-records.migration';
import { ChannelsRepository } from './channels.repository';
import { ChannelsService } from './channels.service';
import { NO_CACHE } from '../../../../test/support/data-services';

/** Sales channels on real PostgreSQL: their rules, and the channels that keys and orders named before channels were records. */
describe('ChannelsService and the channel migration (real PostgreSQL)', () => {
  const name = `oms_channels_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  let pool: Pool;
  let db: PrimaryDatabase;
  let channels: ChannelsService;
  let apiKeys: ApiKeysService;

  beforeAll(async () => {
    const before = OMS_MIGRATIONS.slice(0, OMS_MIGRATIONS.indexOf(SalesChannelRecords1764000002400));
    await migrateDatabase({ ...primaryDataSourceOptions(url, 'channels-int-spec'), migrations: before });
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`INSERT INTO api_key (name, sales_channel, key_hash) VALUES ('storefront key', 'storefront', '\\x01')`);
    await client.query(`INSERT INTO sales_order (status, customer_email, shipping_address, total, sales_channel, shipping_method, priority, tags)
      VALUES ('APPROVED', 'ada@example.com', '{}', 0, 'legacy-pos', 'STANDARD', 0, '{}')`);
    await client.end();
    await migrateDatabase(primaryDataSourceOptions(url, 'channels-int-spec'));
    pool = createPostgresPool(postgresPoolConfig(url, 'channels-int-spec'));
    db = new PrimaryDatabase(pool);
    channels = new ChannelsService(db, new ChannelsRepository(), NO_CACHE);
    apiKeys = new ApiKeysService(new ApiKeysRepository(db));
    await db.query(`INSERT INTO facility_group (code, name, type) VALUES ('EAST', 'East stores', 'CHANNEL')`);
  });

  afterAll(async () => {
    await pool?.end();
    await dropDatabases(url);
  });

  it('gives every channel that keys and orders named before a channel record of type API', async () => {
    const list = await channels.list();
    expect(list.map(({ code, type }) => ({ code, type }))).toEqual(
      expect.arrayContaining([
        { code: 'storefront', type: 'API' },
        { code: 'legacy-pos', type: 'API' },
      ]),
    );
  });

  it('creates a Shopify channel selling a facility group, never showing its secret', async () => {
    const created = await channels.create({ code: 'SHOP_US', name: 'Shop US', type: 'SHOPIFY', webhookSecret: 's3cret', facilityGroup: 'EAST' });
    expect(created).toEqual(expect.objectContaining({ code: 'SHOP_US', type: 'SHOPIFY', facilityGroup: 'EAST', thresholdUnits: 0 }));
    expect(JSON.stringify(await channels.list())).not.toContain('s3cret');
    await expect(channels.create({ code: 'SHOP_US', name: 'again', type: 'API' })).rejects.toThrow(ConflictError);
  });

  it('refuses a Shopify channel without a secret and an unknown facility group', async () => {
    await expect(channels.create({ code: 'NO_SECRET', name: 'n', type: 'SHOPIFY' })).rejects.toThrow(InvalidInputError);
    await expect(channels.create({ code: 'NO_GROUP', name: 'n', type: 'API', facilityGroup: 'NOPE' })).rejects.toThrow(InvalidInputError);
    const codes = (await channels.list()).map((channel) => channel.code);
    expect(codes).not.toContain('NO_SECRET');
    expect(codes).not.toContain('NO_GROUP');
  });

  it('sets the threshold, changes the group back to every facility, and 404s an unknown channel', async () => {
    await channels.create({ code: 'WEB', name: 'Web', type: 'API', facilityGroup: 'EAST' });
    expect((await channels.setThreshold('WEB', 2)).thresholdUnits).toBe(2);
    const updated = await channels.update('WEB', { facilityGroup: null, name: 'Web shop' });
    expect(updated).toEqual(expect.objectContaining({ facilityGroup: null, name: 'Web shop', thresholdUnits: 2 }));
    await expect(channels.setThreshold('NOPE', 1)).rejects.toThrow(NotFoundError);
    await expect(channels.update('NOPE', { name: 'x' })).rejects.toThrow(NotFoundError);
  });

  it('gives a key that names a new channel a channel of type API, and keeps the type of an existing one', async () => {
    await apiKeys.create({ name: 'pos key', salesChannel: 'store-pos' });
    await apiKeys.create({ name: 'shopify connector', salesChannel: 'SHOP_US' });
    expect(await channels.get('store-pos')).toEqual(expect.objectContaining({ type: 'API', facilityGroup: null }));
    expect((await channels.get('SHOP_US')).type).toBe('SHOPIFY');
  });
});
