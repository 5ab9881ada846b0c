import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { CacheInvalidator, CacheRequest, TieredCache } from '@app/cache';
import { ConflictError, createPostgresPool, InvalidInputError, migrateDatabase, postgresPoolConfig } from '@app/platform';
import { dropDatabases, primaryDatabaseUrl } from '../../../../test/support/test-databases';
import { cacheTags } from '../common/cache-tags';
import { primaryDataSourceOptions } from '../database/data-source.options';
import { PrimaryDatabase } from '../database/primary-database';
import { OutboxRepository } from '../outbox/outbox.repository';
import { RoutingConfigRepository } from './routing-config.repository';
import { RoutingConfigService } from './routing-config.service';

/** Reads straight through to the loader, recording what each read asked for. */
class PassThroughCache {
  readonly requests: Omit<CacheRequest, 'load'>[] = [];
  peekLocal(): undefined {
    return undefined;
  }
  async readThrough({ load, ...request }: CacheRequest) {
    this.requests.push(request);
    return { body: JSON.stringify(await load()), from: 'miss' as const };
  }
}

describe('RoutingConfigService (real PostgreSQL)', () => {
  const name = `oms_routing_${randomBytes(4).toString('hex')}`;
  const url = primaryDatabaseUrl(name);
  const pools: Pool[] = [];
  const invalidated: string[][] = [];
  const cache = new PassThroughCache();
  let routing: RoutingConfigService;
  let db: PrimaryDatabase | undefined;

  /** Another process: its own pool, so that its transactions race on connections of their own. */
  function serviceOfAnotherProcess(): RoutingConfigService {
    const pool = createPostgresPool(postgresPoolConfig(url, 'routing-int-spec'));
    pools.push(pool);
    const invalidator = { invalidate: (tags: Iterable<string>) => Promise.resolve(void invalidated.push([...tags])) } as unknown as CacheInvalidator;
    const processDb = new PrimaryDatabase(pool);
    db ??= processDb;
    return new RoutingConfigService(processDb, new RoutingConfigRepository(), new OutboxRepository(), invalidator, cache as unknown as TieredCache);
  }

  beforeAll(async () => {
    await migrateDatabase(primaryDataSourceOptions(url, 'routing-int-spec'));
    routing = serviceOfAnotherProcess();
  });

  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await dropDatabases(url);
  });

  it('reads the active ORDER_APPROVED group through the cache, tagged with the routing configuration', async () => {
    const active = await routing.activeGroup('ORDER_APPROVED');
    expect(active).toMatchObject({ name: 'Default', trigger: 'ORDER_APPROVED', status: 'ACTIVE' });
    expect(active!.routings[0].rules.map((rule) => rule.assignment)).toEqual(['SINGLE', 'MULTI']);
    expect(await routing.group(active!.id)).toEqual(active);
    expect(await routing.scheduledGroups()).toEqual([]);
    expect(cache.requests.every((request) => request.tags.length === 1 && request.tags[0] === cacheTags.routing())).toBe(true);
    expect(new Set(cache.requests.map((request) => request.key)).size).toBe(3);
  });

  it('invalidates the routing configuration and writes its outbox event with every change, in the same transaction', async () => {
    const events = async () => (await db!.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox_event WHERE topic = 'routing.changed'`))[0].n;
    const [eventsBefore, invalidationsBefore] = [await events(), invalidated.length];
    const group = await routing.createGroup({ name: 'hourly', trigger: 'SCHEDULE', cron: '0 * * * *', status: 'ACTIVE' });
    const added = await routing.addRouting(group.id, { name: 'r', sequence: 1, status: 'ACTIVE' });
    await routing.addRule(added.id, { name: 'rule', sequence: 1, status: 'ACTIVE', assignment: 'SINGLE' });
    expect((await routing.scheduledGroups()).map((scheduled) => scheduled.id)).toEqual([group.id]);
    await routing.deleteGroup(group.id);
    expect([(await events()) - eventsBefore, invalidated.length - invalidationsBefore]).toEqual([4, 4]);
    expect(invalidated.slice(invalidationsBefore).every((tags) => tags.length === 1 && tags[0] === cacheTags.routing())).toBe(true);

    await expect(routing.createGroup({ name: 'bad', trigger: 'SCHEDULE', status: 'ACTIVE' })).rejects.toThrow(InvalidInputError);
    expect([(await events()) - eventsBefore, invalidated.length - invalidationsBefore]).toEqual([4, 4]);
  });

  it('refuses conditions and unfilled actions the engine could not run, naming the path, also when called without the HTTP layer', async () => {
    const group = (await routing.activeGroup('ORDER_APPROVED'))!;
    const refused = routing.addRule(group.routings[0].id, {
      name: 'bad',
      sequence: 1,
      status: 'ACTIVE',
      assignment: 'SINGLE',
      inventoryFilters: [{ field: 'distanceKm', operator: 'less', value: 'far' }],
      unfilledAction: { type: 'MOVE_TO_QUEUE' },
    });
    await expect(refused).rejects.toMatchObject({
      details: [
        { field: 'inventoryFilters[0].value', message: expect.any(String) },
        { field: 'unfilledAction.queue', message: expect.any(String) },
      ],
    });
  });

  it('lets exactly one of many concurrent requests make an ORDER_APPROVED group ACTIVE', async () => {
    const current = (await routing.activeGroup('ORDER_APPROVED'))!;
    await routing.updateGroup(current.id, { status: 'PAUSED' });
    const processes = Array.from({ length: 6 }, () => serviceOfAnotherProcess());
    const standby = await Promise.all(
      processes.map((process, i) => process.createGroup({ name: `standby ${i}`, trigger: 'ORDER_APPROVED', status: 'PAUSED' })),
    );
    const outcomes = await Promise.allSettled(
      processes.map((process, i) =>
        i % 2 === 0
          ? process.updateGroup(standby[i].id, { status: 'ACTIVE' })
          : process.createGroup({ name: `racer ${i}`, trigger: 'ORDER_APPROVED', status: 'ACTIVE' }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refusals = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(refusals.every((outcome) => outcome.reason instanceof ConflictError)).toBe(true);
    const active = await db!.query(`SELECT id FROM routing_group WHERE status = 'ACTIVE' AND trigger = 'ORDER_APPROVED'`);
    expect(active).toHaveLength(1);
  });
});
