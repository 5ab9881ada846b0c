import { ApiKey } from './api-key.entity';
import { AvailabilityChangeRow, AvailabilitySnapshotItemRow, AvailabilitySnapshotRow, ChannelAvailabilityRow } from './channel-availability.entity';
import { Facility } from './facility.entity';
import { FacilityGroup, FacilityGroupMember } from './facility-group.entity';
import { FacilityOrderDay } from './facility-order-day.entity';
import { PicklistItemRow, PicklistRow, ShipmentItemRow, ShipmentPackageRow, ShipmentRow } from './fulfilment.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { InventoryItem } from './inventory-item.entity';
import { InventoryLedgerEntry } from './inventory-ledger-entry.entity';
import { OrderHistoryEntry } from './order-history-entry.entity';
import { OrderItem } from './order-item.entity';
import { OrderItemRejection } from './order-item-rejection.entity';
import { OrderReturn, OrderReturnItem } from './order-return.entity';
import { OutboxEvent } from './outbox-event.entity';
import { PickupHandover } from './pickup-handover.entity';
import { Product } from './product.entity';
import { RoutingGroupRow, RoutingRow, RoutingRuleRow, RoutingRunRow } from './routing.entity';
import { SalesChannel } from './sales-channel.entity';
import { ChannelImportError } from './channel-import-error.entity';
import { SalesOrder } from './sales-order.entity';
import {
  PurchaseOrderItemRow,
  PurchaseOrderReceiptItemRow,
  PurchaseOrderReceiptRow,
  PurchaseOrderRow,
  TransferOrderItemRow,
  TransferOrderRow,
} from './supply.entity';
import { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from './webhook.entity';

export const OMS_ENTITIES = [
  ApiKey,
  Product,
  Facility,
  FacilityGroup,
  FacilityGroupMember,
  FacilityOrderDay,
  InventoryItem,
  InventoryLedgerEntry,
  SalesChannel,
  ChannelAvailabilityRow,
  AvailabilityChangeRow,
  AvailabilitySnapshotRow,
  AvailabilitySnapshotItemRow,
  ChannelImportError,
  SalesOrder,
  OrderItem,
  OrderHistoryEntry,
  OrderItemRejection,
  OrderReturn,
  OrderReturnItem,
  PickupHandover,
  IdempotencyRecord,
  OutboxEvent,
  RoutingGroupRow,
  RoutingRow,
  RoutingRuleRow,
  RoutingRunRow,
  PicklistRow,
  PicklistItemRow,
  ShipmentRow,
  ShipmentItemRow,
  ShipmentPackageRow,
  WebhookEndpointRow,
  WebhookDeliveryRow,
  WebhookAttemptRow,
  PurchaseOrderRow,
  PurchaseOrderItemRow,
  PurchaseOrderReceiptRow,
  PurchaseOrderReceiptItemRow,
  TransferOrderRow,
  TransferOrderItemRow,
];
