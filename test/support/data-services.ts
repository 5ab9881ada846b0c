import type { Pool } from 'pg';
import type { CacheInvalidator, TieredCache } from '@app/cache';
import { ApprovalRulesRepository } from '../../libs/data/src/approval/approval-rules.repository';
import { ApprovalRulesService } from '../../libs/data/src/approval/approval-rules.service';
import { BrokeringRepository } from '../../libs/data/src/brokering/brokering.repository';
import { BrokeringService } from '../../libs/data/src/brokering/brokering.service';
import { FacilityCapacityRepository } from '../../libs/data/src/brokering/facility-capacity.repository';
import { PrimaryDatabase } from '../../libs/data/src/database/primary-database';
import { PicklistsRepository } from '../../libs/data/src/fulfilment/picklists.repository';
import { PicklistsService } from '../../libs/data/src/fulfilment/picklists.service';
import { ShipmentsRepository } from '../../libs/data/src/fulfilment/shipments.repository';
import { ShipmentsService } from '../../libs/data/src/fulfilment/shipments.service';
import { InventoryJournal } from '../../libs/data/src/inventory/inventory-journal';
import { InventoryRepository } from '../../libs/data/src/inventory/inventory.repository';
import { ItemReservations } from '../../libs/data/src/inventory/item-reservations';
import { StockArrivals } from '../../libs/data/src/inventory/stock-arrivals';
import { InventoryService } from '../../libs/data/src/inventory/inventory.service';
import { StatusChangesRepository } from '../../libs/data/src/lifecycle/status-changes.repository';
import { ItemCancelRepository } from '../../libs/data/src/orders/item-cancel.repository';
import { ItemCancelService } from '../../libs/data/src/orders/item-cancel.service';
import { OrderEditsService } from '../../libs/data/src/orders/order-edits.service';
import { OrderHoldsService } from '../../libs/data/src/orders/order-holds.service';
import { PickupRepository } from '../../libs/data/src/pickup/pickup.repository';
import { PickupService } from '../../libs/data/src/pickup/pickup.service';
import { OrdersRepository } from '../../libs/data/src/orders/orders.repository';
import { OrdersService } from '../../libs/data/src/orders/orders.service';
import { OutboxRepository } from '../../libs/data/src/outbox/outbox.repository';
import type { ReadRouter } from '../../libs/data/src/read-routing/read-router';
import { ReturnsRepository } from '../../libs/data/src/returns/returns.repository';
import { ReturnsService } from '../../libs/data/src/returns/returns.service';
import { ItemRejectionsRepository } from '../../libs/data/src/routing/item-rejections.repository';
import { RejectionService } from '../../libs/data/src/routing/rejection.service';
import { RoutingConfigRepository } from '../../libs/data/src/routing/routing-config.repository';
import { RoutingConfigService } from '../../libs/data/src/routing/routing-config.service';
import { RoutingFacilitiesRepository } from '../../libs/data/src/routing/routing-facilities.repository';
import { RoutingRunsRepository } from '../../libs/data/src/routing/routing-runs.repository';
import { RoutingSimulator } from '../../libs/data/src/routing/routing-simulator';
import { PromisesRepository } from '../../libs/data/src/supply/promises.repository';
import { PromisesService } from '../../libs/data/src/supply/promises.service';
import { PurchaseOrdersRepository } from '../../libs/data/src/supply/purchase-orders.repository';
import { PurchaseOrdersService } from '../../libs/data/src/supply/purchase-orders.service';
import { TransferOrdersRepository } from '../../libs/data/src/supply/transfer-orders.repository';
import { TransferOrdersService } from '../../libs/data/src/supply/transfer-orders.service';

/** List reads are the only use of the router, and these tests make none. */
const NO_LIST_READS = {} as ReadRouter;
/** These tests read nothing through the cache. */
export const NO_CACHE = { invalidate: () => Promise.resolve() } as unknown as CacheInvalidator;
/** The routing configuration and the approval rules are read from the database each time. */
const READ_THROUGH = {
  peekLocal: () => undefined,
  readThrough: async ({ load }: { load: () => Promise<unknown> }) => ({ body: JSON.stringify(await load()) }),
} as unknown as TieredCache;
const BROKERING_CONFIG = { brokering: { timeZone: 'UTC' } };
/** The default: tests move the time items became ready rather than the expiry. */
export const PICKUP_EXPIRY_DAYS = 7;

/**
 * The domain services of one process, over its own connection pool, built without Nest as the
 * integration specs need them (several "processes" race on one database). `outbox` may be a
 * stand-in that fails on cue.
 */
export function dataServicesOn(pool: Pool, outbox = new OutboxRepository()) {
  const db = new PrimaryDatabase(pool);
  const inventoryRepository = new InventoryRepository();
  const journal = new InventoryJournal(inventoryRepository, outbox);
  const statuses = new StatusChangesRepository();
  const ordersRepository = new OrdersRepository();
  const reservations = new ItemReservations(inventoryRepository, journal);
  const arrivals = new StockArrivals(inventoryRepository, journal);
  const config = new RoutingConfigService(db, new RoutingConfigRepository(), outbox, NO_CACHE, READ_THROUGH);
  const capacity = new FacilityCapacityRepository(BROKERING_CONFIG);
  const promises = new PromisesService(db, new PromisesRepository(), new BrokeringRepository(), outbox);
  const brokering = new BrokeringService(
    db,
    new BrokeringRepository(),
    journal,
    outbox,
    NO_CACHE,
    statuses,
    config,
    new RoutingFacilitiesRepository(),
    capacity,
    new ItemRejectionsRepository(),
    new RoutingRunsRepository(),
    promises,
    BROKERING_CONFIG,
  );
  // Without rules (the migrations create none) every new order is approved at once.
  const approvalRules = new ApprovalRulesService(db, new ApprovalRulesRepository(), outbox, NO_CACHE, READ_THROUGH);
  const orders = new OrdersService(db, NO_LIST_READS, ordersRepository, outbox, NO_CACHE, statuses, approvalRules, reservations);
  const itemCancelRepository = new ItemCancelRepository();
  const itemCancel = new ItemCancelService(db, ordersRepository, itemCancelRepository, reservations, statuses, outbox, NO_CACHE, orders);
  return {
    db,
    close: () => db.onApplicationShutdown(),
    config,
    brokering,
    approvalRules,
    statuses,
    orders,
    inventory: new InventoryService(db, NO_LIST_READS, inventoryRepository, journal, NO_CACHE),
    holds: new OrderHoldsService(db, ordersRepository, reservations, statuses, outbox, NO_CACHE, brokering, orders),
    edits: new OrderEditsService(db, ordersRepository, reservations, statuses, outbox, NO_CACHE, brokering, orders),
    itemCancel,
    rejections: new RejectionService(
      db,
      ordersRepository,
      inventoryRepository,
      journal,
      new ItemRejectionsRepository(),
      statuses,
      outbox,
      NO_CACHE,
      brokering,
    ),
    picklists: new PicklistsService(db, new PicklistsRepository(), ordersRepository, statuses, outbox),
    shipments: new ShipmentsService(db, new ShipmentsRepository(), ordersRepository, reservations, statuses, outbox, NO_CACHE, orders),
    promises,
    purchaseOrders: new PurchaseOrdersService(db, new PurchaseOrdersRepository(), ordersRepository, promises, arrivals, outbox, brokering, NO_CACHE),
    returns: new ReturnsService(db, ordersRepository, new ReturnsRepository(), arrivals, outbox, NO_CACHE),
    transfers: new TransferOrdersService(db, NO_LIST_READS, new TransferOrdersRepository(), inventoryRepository, journal, arrivals, outbox, NO_CACHE),
    pickup: new PickupService(
      db,
      ordersRepository,
      new PickupRepository(),
      itemCancelRepository,
      itemCancel,
      reservations,
      statuses,
      outbox,
      NO_CACHE,
      orders,
      { pickup: { expiryDays: PICKUP_EXPIRY_DAYS } },
    ),
    simulator: new RoutingSimulator(
      db,
      config,
      new BrokeringRepository(),
      new RoutingFacilitiesRepository(),
      capacity,
      new ItemRejectionsRepository(),
      BROKERING_CONFIG,
    ),
  };
}
