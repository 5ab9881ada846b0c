import { ConflictError, InvalidInputError, NotFoundError } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { routableOrders } from '../brokering/brokering-changes';
import { BrokeringRepository } from '../brokering/brokering.repository';
import { FacilityCapacityRepository } from '../brokering/facility-capacity.repository';
import { PrimaryDatabase } from '../database/primary-database';
import type { ShippingAddress } from '../entities/sales-order.entity';
import { BROKERABLE_ORDER_STATUSES } from '../lifecycle/order-transitions';
import { orderFields, OrderFieldsInput } from '../orders/order-fields';
import type { OrderLineInput } from '../orders/order-lines';
import type { Queryable } from '../read-routing/queryable';
import { ItemRejectionsRepository } from './item-rejections.repository';
import { BROKERING_QUEUE, RoutingGroup } from './routing-config';
import { RoutingConfigService } from './routing-config.service';
import { RoutableOrder, routeOrders, RoutedOrder, RoutingFacility, RuleTrace } from './routing-engine';
import { RoutingFacilitiesRepository, withRemainingCapacity } from './routing-facilities.repository';
import { routedByRunOf } from './routed-queues';
import { todayIn } from './today';

/** An order to simulate as POST /api/v1/orders would take it, with the channel it would come from. */
export interface SimulatedOrderInput extends OrderFieldsInput {
  shippingAddress: ShippingAddress;
  items: OrderLineInput[];
  salesChannel?: string;
}

export interface SimulationRequest {
  orderId?: string;
  order?: SimulatedOrderInput;
  /** The group to route by; the active ORDER_APPROVED group when absent. */
  groupId?: string;
}

export interface Simulation {
  routingId: string | null;
  allocations: { itemId: string | null; productId: string; quantity: number; facilityId: string; ruleId: string }[];
  unfilled: { itemId: string | null; productId: string; quantity: number; action: string; queue: string }[];
  trace: RuleTrace[];
}

const SIMULATED_CHANNEL = 'default';

/**
 * Routes one order with the engine brokering uses, on the same inputs (configuration, stock,
 * capacity, rejections) as last committed, and explains every candidate of every rule. It locks,
 * reserves and counts nothing: with nothing changed in between, brokering then does what it says.
 */
@Injectable()
export class RoutingSimulator {
  private readonly timeZone: string;

  constructor(
    private readonly db: PrimaryDatabase,
    private readonly config: RoutingConfigService,
    private readonly brokering: BrokeringRepository,
    private readonly facilities: RoutingFacilitiesRepository,
    private readonly capacity: FacilityCapacityRepository,
    private readonly rejections: ItemRejectionsRepository,
    @Inject(APP_CONFIG) appConfig: Pick<AppConfig, 'brokering'>,
  ) {
    this.timeZone = appConfig.brokering.timeZone;
  }

  async simulate(request: SimulationRequest): Promise<Simulation> {
    const group = await this.groupFor(request.groupId);
    const order = request.orderId !== undefined ? await this.storedOrder(request.orderId, group) : await this.newOrder(request.order!);
    const productIds = [...new Set(order.lines.map((line) => line.productId))];
    const [stock, facilities] = await Promise.all([this.brokering.readShippableStock(this.db, productIds), this.facilitiesWithCapacity(this.db)]);
    const plan = routeOrders({ group, orders: [order], facilities, stock, today: todayIn(this.timeZone) }, { explain: true });
    return simulation(plan.orders[0]);
  }

  private async groupFor(groupId: string | undefined): Promise<RoutingGroup> {
    if (groupId !== undefined) {
      const group = await this.config.group(groupId);
      if (!group) throw new NotFoundError(`routing group ${groupId} not found`);
      return group;
    }
    const active = await this.config.activeGroup('ORDER_APPROVED');
    if (!active) throw new ConflictError('no routing group is active for approved orders: name one with groupId');
    return active;
  }

  /** The order's items that the group routes: on events for an ORDER_APPROVED group, the queues it routes for a SCHEDULE group. */
  private async storedOrder(orderId: string, group: RoutingGroup): Promise<RoutableOrder> {
    const [stored] = await this.brokering.readOrders(this.db, [orderId]);
    if (!stored) throw new NotFoundError(`order ${orderId} not found`);
    const items = await this.brokering.readItems(this.db, [orderId]);
    const routes = routedByRunOf(group);
    const rejections = await this.rejections.rejectingFacilities(
      this.db,
      items.filter(routes).map((item) => item.id),
    );
    const order = routableOrders([stored], items, routes, rejections)[0];
    // Brokering takes open orders only (one not approved yet waits as it is): it routes nothing of the others.
    return BROKERABLE_ORDER_STATUSES.includes(stored.status) ? order : { ...order, lines: [], queues: [] };
  }

  private async newOrder(input: SimulatedOrderInput): Promise<RoutableOrder> {
    const fields = orderFields(input);
    const products = await this.productsOf(input.items);
    const lines = input.items.map((line) => {
      const product = products.find((candidate) => candidate.id === line.productId || candidate.sku === line.sku)!;
      return {
        itemId: null,
        productId: product.id,
        quantity: line.quantity,
        unitPrice: Number(line.unitPrice ?? product.price),
        rejectedFacilityIds: [],
        queue: BROKERING_QUEUE,
      };
    });
    const { latitude, longitude } = input.shippingAddress;
    return {
      orderId: null,
      orderDate: new Date().toISOString(),
      salesChannel: input.salesChannel ?? SIMULATED_CHANNEL,
      shippingMethod: fields.shippingMethod,
      priority: fields.priority,
      promiseDate: fields.promiseDate,
      country: input.shippingAddress.country ?? null,
      tags: fields.tags,
      orderTotal: lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0),
      queues: [BROKERING_QUEUE],
      pickupFacilityId: fields.pickupFacilityId,
      shipTo: typeof latitude === 'number' && typeof longitude === 'number' ? { latitude, longitude } : null,
      lines,
      countedFacilityIds: [],
    };
  }

  /** The lines' products (by id or SKU, as order lines name them); an unknown one is a 400 naming its line. */
  private async productsOf(lines: OrderLineInput[]): Promise<{ id: string; sku: string; price: string }[]> {
    const ids = lines.flatMap((line) => (line.productId === undefined ? [] : [line.productId]));
    const skus = lines.flatMap((line) => (line.sku === undefined ? [] : [line.sku]));
    const products = await this.db.query<{ id: string; sku: string; price: string }>(
      'SELECT id, sku, price::text AS price FROM product WHERE id = ANY($1::uuid[]) OR sku = ANY($2::text[])',
      [ids, skus],
    );
    const unknown = lines.flatMap((line, index) =>
      products.some((product) => product.id === line.productId || product.sku === line.sku) ? [] : [index],
    );
    if (unknown.length > 0) {
      const problems = unknown.map((index) => ({ field: `order.items[${index}]`, message: 'no such product' }));
      throw new InvalidInputError(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '), problems);
    }
    return products;
  }

  private async facilitiesWithCapacity(db: Queryable): Promise<RoutingFacility[]> {
    const facilities = await this.facilities.read(db);
    const capacity = await this.capacity.readRemaining(
      db,
      facilities.map((facility) => facility.id),
    );
    return withRemainingCapacity(facilities, capacity);
  }
}

function simulation(routed: RoutedOrder): Simulation {
  return {
    routingId: routed.routingId,
    allocations: routed.allocations.map(({ line, facilityId, ruleId }) => ({
      itemId: line.itemId,
      productId: line.productId,
      quantity: line.quantity,
      facilityId,
      ruleId,
    })),
    unfilled: routed.unfilled.map(({ line, action, queue }) => ({
      itemId: line.itemId,
      productId: line.productId,
      quantity: line.quantity,
      action,
      queue,
    })),
    trace: routed.trace,
  };
}
