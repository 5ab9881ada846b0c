import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { CacheModule } from '@app/cache';
import { APP_CONFIG, AppConfig, createPostgresPool, postgresPoolConfig } from '@app/platform';
import { ApiKeysRepository } from './api-keys/api-keys.repository';
import { ApiKeysService } from './api-keys/api-keys.service';
import { BrokeringRepository } from './brokering/brokering.repository';
import { BrokeringService } from './brokering/brokering.service';
import { FacilityCapacityRepository } from './brokering/facility-capacity.repository';
import { FacilitiesRepository } from './catalog/facilities.repository';
import { FacilitiesService } from './catalog/facilities.service';
import { FacilityGroupsRepository } from './catalog/facility-groups.repository';
import { FacilityGroupsService } from './catalog/facility-groups.service';
import { ProductsRepository } from './catalog/products.repository';
import { ProductsService } from './catalog/products.service';
import { PrimaryDatabase } from './database/primary-database';
import { PrimaryDatabaseHealth } from './health/primary-database.health';
import { ReplicaHealth } from './health/replica.health';
import { InventoryJournal } from './inventory/inventory-journal';
import { ItemReservations } from './inventory/item-reservations';
import { StockArrivals } from './inventory/stock-arrivals';
import { InventoryRepository } from './inventory/inventory.repository';
import { InventoryService } from './inventory/inventory.service';
import { StatusChangesRepository } from './lifecycle/status-changes.repository';
import { OrdersRepository } from './orders/orders.repository';
import { OrdersService } from './orders/orders.service';
import { OutboxListener } from './outbox/outbox-listener';
import { OutboxRelayRepository } from './outbox/outbox-relay.repository';
import { OutboxRelayService } from './outbox/outbox-relay.service';
import { OutboxRepository } from './outbox/outbox.repository';
import { ReadRouter } from './read-routing/read-router';
import { WriteMarksStore } from './read-routing/write-marks.store';
import { ReplicaClient } from './replica/replica.client';
import { RoutingConfigRepository } from './routing/routing-config.repository';
import { RoutingConfigService } from './routing/routing-config.service';
import { ItemRejectionsRepository } from './routing/item-rejections.repository';
import { RejectionService } from './routing/rejection.service';
import { ItemCancelRepository } from './orders/item-cancel.repository';
import { ItemCancelService } from './orders/item-cancel.service';
import { ApprovalRulesRepository } from './approval/approval-rules.repository';
import { ApprovalRulesService } from './approval/approval-rules.service';
import { OrderHoldsService } from './orders/order-holds.service';
import { OrderEditsService } from './orders/order-edits.service';
import { PickupRepository } from './pickup/pickup.repository';
import { PickupService } from './pickup/pickup.service';
import { RoutingSimulator } from './routing/routing-simulator';
import { RoutingRunsService } from './routing/routing-runs.service';
import { RoutingFacilitiesRepository } from './routing/routing-facilities.repository';
import { RoutingRunsRepository } from './routing/routing-runs.repository';
import { PicklistsRepository } from './fulfilment/picklists.repository';
import { PicklistsService } from './fulfilment/picklists.service';
import { ShipmentsRepository } from './fulfilment/shipments.repository';
import { ShipmentsService } from './fulfilment/shipments.service';
import { ReturnsRepository } from './returns/returns.repository';
import { ReturnsService } from './returns/returns.service';
import { TransferOrdersRepository } from './supply/transfer-orders.repository';
import { TransferOrdersService } from './supply/transfer-orders.service';
import { ChannelsRepository } from './channels/channels.repository';
import { ChannelsService } from './channels/channels.service';
import { AvailabilityRepository } from './availability/availability.repository';
import { AvailabilityService } from './availability/availability.service';
import { FeedReaders } from './availability/feed-readers';
import { WebhookDeliveryListener } from './webhooks/webhook-delivery-listener';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher';
import { WebhookSender } from './webhooks/webhook-sender.client';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';
import { ChannelImportErrorsRepository } from './channels/channel-import-errors.repository';
import { ShopifyOrdersService } from './channels/shopify/shopify-orders.service';
import { PromisesRepository } from './supply/promises.repository';
import { PromisesService } from './supply/promises.service';
import { PurchaseOrdersRepository } from './supply/purchase-orders.repository';
import { PurchaseOrdersService } from './supply/purchase-orders.service';

const DOMAIN_SERVICES = [
  ApiKeysService,
  ProductsService,
  FacilitiesService,
  FacilityGroupsService,
  InventoryService,
  OrdersService,
  OutboxRelayService,
  OutboxListener,
  BrokeringService,
  RoutingConfigService,
  RejectionService,
  ItemCancelService,
  ApprovalRulesService,
  OrderHoldsService,
  OrderEditsService,
  PickupService,
  RoutingSimulator,
  RoutingRunsService,
  PicklistsService,
  ShipmentsService,
  ReturnsService,
  TransferOrdersService,
  ChannelsService,
  AvailabilityService,
  WebhooksService,
  WebhookDispatcher,
  WebhookDeliveryListener,
  ShopifyOrdersService,
  PromisesService,
  PurchaseOrdersService,
];
const REPOSITORIES = [
  OutboxRelayRepository,
  InventoryJournal,
  ItemReservations,
  StockArrivals,
  ApiKeysRepository,
  ProductsRepository,
  FacilitiesRepository,
  FacilityGroupsRepository,
  InventoryRepository,
  OrdersRepository,
  OutboxRepository,
  BrokeringRepository,
  FacilityCapacityRepository,
  StatusChangesRepository,
  ApprovalRulesRepository,
  RoutingConfigRepository,
  RoutingFacilitiesRepository,
  ItemRejectionsRepository,
  ItemCancelRepository,
  PickupRepository,
  RoutingRunsRepository,
  PicklistsRepository,
  ShipmentsRepository,
  ReturnsRepository,
  TransferOrdersRepository,
  ChannelsRepository,
  AvailabilityRepository,
  FeedReaders,
  WebhooksRepository,
  WebhookSender,
  ChannelImportErrorsRepository,
  PromisesRepository,
  PurchaseOrdersRepository,
];

/** The primary on a pg pool of the project's own: connections are opened when needed, so the app starts while the primary is down. */
const PRIMARY_DATABASE = {
  provide: PrimaryDatabase,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => new PrimaryDatabase(createPostgresPool(postgresPoolConfig(config.database.primaryUrl, 'oms'))),
};

@Module({
  imports: [TerminusModule, CacheModule],
  providers: [
    PRIMARY_DATABASE,
    ReplicaClient,
    WriteMarksStore,
    ReadRouter,
    PrimaryDatabaseHealth,
    ReplicaHealth,
    ...REPOSITORIES,
    ...DOMAIN_SERVICES,
  ],
  exports: [ReadRouter, ReplicaClient, PrimaryDatabaseHealth, ReplicaHealth, ...DOMAIN_SERVICES],
})
export class DataModule {}
