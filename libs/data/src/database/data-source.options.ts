import type { DataSourceOptions } from 'typeorm';
import { postgresConnectionOptions } from '@app/platform';
import { OMS_ENTITIES } from '../entities';
import { CreateApiKeys1764000000000 } from '../migrations/1764000000000-create-api-keys.migration';
import { CreateOrderCore1764000000100 } from '../migrations/1764000000100-create-order-core.migration';
import { SalesChannels1764000000200 } from '../migrations/1764000000200-sales-channels.migration';
import { OutboxNotify1764000000300 } from '../migrations/1764000000300-outbox-notify.migration';
import { OutboxOrigin1764000000400 } from '../migrations/1764000000400-outbox-origin.migration';
import { UpdatedAtTrigger1764000000600 } from '../migrations/1764000000600-updated-at-trigger.migration';
import { ApiKeyRestrictions1764000000700 } from '../migrations/1764000000700-api-key-restrictions.migration';
import { LedgerNewestFirst1764000000800 } from '../migrations/1764000000800-ledger-newest-first.migration';
import { BrokeringSafetyStock1764000000900 } from '../migrations/1764000000900-brokering-safety-stock.migration';
import { FacilityGroups1764000001000 } from '../migrations/1764000001000-facility-groups.migration';
import { OrderHistory1764000001100 } from '../migrations/1764000001100-order-history.migration';
import { FacilityCapacity1764000001200 } from '../migrations/1764000001200-facility-capacity.migration';
import { OrderFields1764000001300 } from '../migrations/1764000001300-order-fields.migration';
import { RoutingConfig1764000001400 } from '../migrations/1764000001400-routing-config.migration';
import { RoutingHistoryAndRejections1764000001500 } from '../migrations/1764000001500-routing-history-and-rejections.migration';
import { OrderHistoryByTypeAndTime1764000001600 } from '../migrations/1764000001600-order-history-by-type-and-time.migration';
import { ApprovalHolds1764000001700 } from '../migrations/1764000001700-approval-holds.migration';
import { FulfilmentStatuses1764000002000 } from '../migrations/1764000002000-fulfilment-statuses.migration';
import { PicklistsAndShipments1764000002100 } from '../migrations/1764000002100-picklists-and-shipments.migration';
import { PickupHandovers1764000002200 } from '../migrations/1764000002200-pickup-handovers.migration';
import { OrderReturns1764000002300 } from '../migrations/1764000002300-order-returns.migration';
import { SalesChannelRecords1764000002400 } from '../migrations/1764000002400-sales-channel-records.migration';
import { ChannelImportErrors1764000002500 } from '../migrations/1764000002500-channel-import-errors.migration';
import { ChannelAvailabilityFeed1764000002600 } from '../migrations/1764000002600-channel-availability-feed.migration';
import { WebhooksOut1764000002700 } from '../migrations/1764000002700-webhooks-out.migration';
import { InboundSupply1764000002800 } from '../migrations/1764000002800-inbound-supply.migration';
import { ReceiptExternalIds1764000002900 } from '../migrations/1764000002900-receipt-external-ids.migration';

export const OMS_MIGRATIONS = [
  CreateApiKeys1764000000000,
  CreateOrderCore1764000000100,
  SalesChannels1764000000200,
  OutboxNotify1764000000300,
  OutboxOrigin1764000000400,
  UpdatedAtTrigger1764000000600,
  ApiKeyRestrictions1764000000700,
  LedgerNewestFirst1764000000800,
  BrokeringSafetyStock1764000000900,
  FacilityGroups1764000001000,
  OrderHistory1764000001100,
  FacilityCapacity1764000001200,
  OrderFields1764000001300,
  RoutingConfig1764000001400,
  RoutingHistoryAndRejections1764000001500,
  OrderHistoryByTypeAndTime1764000001600,
  ApprovalHolds1764000001700,
  FulfilmentStatuses1764000002000,
  PicklistsAndShipments1764000002100,
  PickupHandovers1764000002200,
  OrderReturns1764000002300,
  SalesChannelRecords1764000002400,
  ChannelImportErrors1764000002500,
  ChannelAvailabilityFeed1764000002600,
  WebhooksOut1764000002700,
  InboundSupply1764000002800,
  ReceiptExternalIds1764000002900,
];

export function primaryDataSourceOptions(url: string, applicationName: string): DataSourceOptions & { url: string } {
  return {
    ...postgresConnectionOptions(url, applicationName),
    entities: OMS_ENTITIES,
    migrations: OMS_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
  };
}
