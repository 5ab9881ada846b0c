import { Module } from '@nestjs/common';
import { CacheModule } from '@app/cache';
import { DataModule } from '@app/data';
import { ChannelAvailabilityController } from '../channels/channel-availability.controller';
import { FacilitiesController } from '../facilities/facilities.controller';
import { FacilityGroupsController } from '../facilities/facility-groups.controller';
import { PicklistsController } from '../fulfilment/picklists.controller';
import { ShipmentsController } from '../fulfilment/shipments.controller';
import { InventoryController } from '../inventory/inventory.controller';
import { ItemRejectionsController } from '../orders/item-rejections.controller';
import { ItemCancelsController } from '../orders/item-cancels.controller';
import { OrdersController } from '../orders/orders.controller';
import { PickupsController } from '../orders/pickups.controller';
import { ProductsController } from '../products/products.controller';
import { ReturnsController } from '../returns/returns.controller';
import { PurchaseOrdersController } from '../supply/purchase-orders.controller';
import { TransferOrdersController } from '../supply/transfer-orders.controller';

@Module({
  imports: [DataModule, CacheModule],
  controllers: [
    ProductsController,
    FacilitiesController,
    FacilityGroupsController,
    InventoryController,
    OrdersController,
    ItemRejectionsController,
    ItemCancelsController,
    PicklistsController,
    ShipmentsController,
    ReturnsController,
    PickupsController,
    ChannelAvailabilityController,
    PurchaseOrdersController,
    TransferOrdersController,
  ],
})
export class PublicApiModule {}
