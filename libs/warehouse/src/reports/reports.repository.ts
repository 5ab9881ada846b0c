import { Injectable } from '@nestjs/common';
import { WarehouseDatabase } from '../database/warehouse-database.client';
import type {
  AllocationRow,
  ApprovalTimeRow,
  AutoCancellationRow,
  DailySalesRow,
  FacilityThroughputRow,
  HoldRow,
  NotCollectedRow,
  PreordersWaiting,
  PreorderWaitingRow,
  PurchaseOrderLeadTimeRow,
  ReceiptRow,
  ReturnRow,
  RejectionRow,
  ShipmentRow,
  ShipmentTimeRow,
  TopProductRow,
} from './report.view';

/** Cancelled lines are not sales. */
const SOLD = `f.status <> 'CANCELLED'`;

/** Minutes (and days) as the reports give them: to 2 decimals. */
const minutes = (value: string) => `round((${value})::numeric, 2)::float8`;
const days = minutes;

/** Days from an instant to the as-of time `as_of`, never below 0. */
const ageDays = (instant: string) => `greatest(extract(epoch FROM as_of - ${instant}), 0) / 86400`;

/** The report queries, on the warehouse only; date ranges are dim_date keys, both ends included. */
@Injectable()
export class ReportsRepository {
  constructor(private readonly warehouse: WarehouseDatabase) {}

  dailySales(fromKey: number, toKey: number, facilityId: string | undefined): Promise<DailySalesRow[]> {
    return this.warehouse.query<DailySalesRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, count(DISTINCT f.order_id)::int AS orders, sum(f.units)::float8 AS units,
              sum(f.revenue)::numeric(24, 2)::text AS revenue
         FROM fact_order_item f JOIN dim_date d ON d.date_key = f.order_date_key
        WHERE f.order_date_key BETWEEN $1 AND $2 AND ${SOLD} AND ($3::uuid IS NULL OR f.facility_id = $3)
        GROUP BY d.date ORDER BY d.date`,
      [fromKey, toKey, facilityId ?? null],
    );
  }

  topProducts(fromKey: number, toKey: number, limit: number): Promise<TopProductRow[]> {
    return this.warehouse.query<TopProductRow>(
      `SELECT p.product_id AS "productId", p.sku, p.name, s.units, s.revenue
         FROM (SELECT f.product_id, sum(f.units)::float8 AS units, sum(f.revenue)::numeric(24, 2)::text AS revenue, sum(f.revenue) AS amount
                 FROM fact_order_item f
                WHERE f.order_date_key BETWEEN $1 AND $2 AND ${SOLD}
                GROUP BY f.product_id) s
         JOIN dim_product p ON p.product_id = s.product_id
        ORDER BY s.units DESC, s.amount DESC, p.sku
        LIMIT $3`,
      [fromKey, toKey, limit],
    );
  }

  facilityThroughput(fromKey: number, toKey: number): Promise<FacilityThroughputRow[]> {
    return this.warehouse.query<FacilityThroughputRow>(
      `SELECT fa.facility_id AS "facilityId", fa.code, s.allocated AS "itemsAllocated", s.shipped AS "itemsShipped"
         FROM (SELECT f.facility_id,
                      (count(*) FILTER (WHERE f.status IN ('ALLOCATED', 'PICKING', 'PACKED', 'READY_FOR_PICKUP', 'SHIPPED', 'HANDED_OVER')))::int AS allocated,
                      (count(*) FILTER (WHERE f.status = 'SHIPPED'))::int AS shipped
                 FROM fact_order_item f
                WHERE f.order_date_key BETWEEN $1 AND $2 AND f.facility_id IS NOT NULL
                GROUP BY f.facility_id) s
         JOIN dim_facility fa ON fa.facility_id = s.facility_id
        ORDER BY fa.code`,
      [fromKey, toKey],
    );
  }

  allocations(fromKey: number, toKey: number): Promise<AllocationRow[]> {
    return this.warehouse.query<AllocationRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, fa.facility_id AS "facilityId", fa.code,
              s.routing_group_id AS "routingGroupId", r.routing_group_name AS "routingGroupName", s.routing_rule_id AS "ruleId", r.name AS "ruleName",
              s.items, s.units
         FROM (SELECT f.allocation_date_key, f.facility_id, f.routing_group_id, f.routing_rule_id, count(*)::int AS items, sum(f.units)::float8 AS units
                 FROM fact_allocation f
                WHERE f.allocation_date_key BETWEEN $1 AND $2
                GROUP BY f.allocation_date_key, f.facility_id, f.routing_group_id, f.routing_rule_id) s
         JOIN dim_date d ON d.date_key = s.allocation_date_key
         JOIN dim_facility fa ON fa.facility_id = s.facility_id
         LEFT JOIN dim_routing_rule r ON r.routing_rule_id = s.routing_rule_id
        ORDER BY d.date, fa.code, r.routing_group_name NULLS LAST, r.name NULLS LAST, s.routing_rule_id NULLS LAST`,
      [fromKey, toKey],
    );
  }

  rejections(fromKey: number, toKey: number): Promise<RejectionRow[]> {
    return this.warehouse.query<RejectionRow>(
      `SELECT fa.facility_id AS "facilityId", fa.code, s.reason, s.items, s.units
         FROM (SELECT f.facility_id, f.reason, count(*)::int AS items, sum(f.units)::float8 AS units
                 FROM fact_rejection f
                WHERE f.rejection_date_key BETWEEN $1 AND $2
                GROUP BY f.facility_id, f.reason) s
         JOIN dim_facility fa ON fa.facility_id = s.facility_id
        ORDER BY fa.code, s.reason`,
      [fromKey, toKey],
    );
  }

  holds(fromKey: number, toKey: number): Promise<HoldRow[]> {
    return this.warehouse.query<HoldRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, s.reason, s.orders
         FROM (SELECT f.hold_date_key, f.reason, count(DISTINCT f.order_id)::int AS orders
                 FROM fact_hold f
                WHERE f.hold_date_key BETWEEN $1 AND $2
                GROUP BY f.hold_date_key, f.reason) s
         JOIN dim_date d ON d.date_key = s.hold_date_key
        ORDER BY d.date, s.reason`,
      [fromKey, toKey],
    );
  }

  approvalTimes(fromKey: number, toKey: number): Promise<ApprovalTimeRow[]> {
    return this.warehouse.query<ApprovalTimeRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, count(*)::int AS orders, ${minutes('avg(f.waited)')} AS "avgMinutes",
              ${minutes('percentile_cont(0.5) WITHIN GROUP (ORDER BY f.waited)')} AS "p50Minutes",
              ${minutes('percentile_cont(0.9) WITHIN GROUP (ORDER BY f.waited)')} AS "p90Minutes"
         FROM (SELECT approval_date_key, greatest(extract(epoch FROM approved_at - created_at), 0)::float8 / 60 AS waited
                 FROM fact_approval
                WHERE approval_date_key BETWEEN $1 AND $2) f
         JOIN dim_date d ON d.date_key = f.approval_date_key
        GROUP BY d.date
        ORDER BY d.date`,
      [fromKey, toKey],
    );
  }

  autoCancellations(fromKey: number, toKey: number): Promise<AutoCancellationRow[]> {
    return this.warehouse.query<AutoCancellationRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, s.items, s.units
         FROM (SELECT f.cancel_date_key, count(*)::int AS items, sum(f.units)::float8 AS units
                 FROM fact_auto_cancel f
                WHERE f.cancel_date_key BETWEEN $1 AND $2
                GROUP BY f.cancel_date_key) s
         JOIN dim_date d ON d.date_key = s.cancel_date_key
        ORDER BY d.date`,
      [fromKey, toKey],
    );
  }

  shipments(fromKey: number, toKey: number): Promise<ShipmentRow[]> {
    return this.warehouse.query<ShipmentRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, fa.facility_id AS "facilityId", fa.code, s.shipments, s.orders, s.items, s.units
         FROM (SELECT f.ship_date_key, f.facility_id, count(DISTINCT (f.order_id, f.shipped_at))::int AS shipments,
                      count(DISTINCT f.order_id)::int AS orders, count(*)::int AS items, sum(f.units)::float8 AS units
                 FROM fact_shipment f
                WHERE f.ship_date_key BETWEEN $1 AND $2
                GROUP BY f.ship_date_key, f.facility_id) s
         JOIN dim_date d ON d.date_key = s.ship_date_key
         JOIN dim_facility fa ON fa.facility_id = s.facility_id
        ORDER BY d.date, fa.code`,
      [fromKey, toKey],
    );
  }

  shipmentTimes(fromKey: number, toKey: number): Promise<ShipmentTimeRow[]> {
    return this.warehouse.query<ShipmentTimeRow>(
      `SELECT fa.facility_id AS "facilityId", fa.code, s.shipments, s.items, s."p50Minutes", s."p90Minutes"
         FROM (SELECT f.facility_id, count(DISTINCT (f.order_id, f.shipped_at))::int AS shipments, count(*)::int AS items,
                      ${minutes('percentile_cont(0.5) WITHIN GROUP (ORDER BY f.waited)')} AS "p50Minutes",
                      ${minutes('percentile_cont(0.9) WITHIN GROUP (ORDER BY f.waited)')} AS "p90Minutes"
                 FROM (SELECT facility_id, order_id, shipped_at, greatest(extract(epoch FROM shipped_at - allocated_at), 0)::float8 / 60 AS waited
                         FROM fact_shipment
                        WHERE ship_date_key BETWEEN $1 AND $2 AND allocated_at IS NOT NULL) f
                GROUP BY f.facility_id) s
         JOIN dim_facility fa ON fa.facility_id = s.facility_id
        ORDER BY fa.code`,
      [fromKey, toKey],
    );
  }

  pickupsNotCollected(fromKey: number, toKey: number): Promise<NotCollectedRow[]> {
    return this.warehouse.query<NotCollectedRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, s.facility_id AS "facilityId", fa.code, s.orders
         FROM (SELECT f.cancel_date_key, f.facility_id, count(DISTINCT f.order_id)::int AS orders
                 FROM fact_not_collected f
                WHERE f.cancel_date_key BETWEEN $1 AND $2
                GROUP BY f.cancel_date_key, f.facility_id) s
         JOIN dim_date d ON d.date_key = s.cancel_date_key
         LEFT JOIN dim_facility fa ON fa.facility_id = s.facility_id
        ORDER BY d.date, fa.code NULLS LAST, s.facility_id NULLS LAST`,
      [fromKey, toKey],
    );
  }

  returns(fromKey: number, toKey: number): Promise<ReturnRow[]> {
    return this.warehouse.query<ReturnRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, s.reason, s.returns, s.units
         FROM (SELECT f.return_date_key, f.reason, count(DISTINCT f.return_id)::int AS returns, sum(f.units)::float8 AS units
                 FROM fact_return f
                WHERE f.return_date_key BETWEEN $1 AND $2
                GROUP BY f.return_date_key, f.reason) s
         JOIN dim_date d ON d.date_key = s.return_date_key
        ORDER BY d.date, s.reason`,
      [fromKey, toKey],
    );
  }

  receipts(fromKey: number, toKey: number): Promise<ReceiptRow[]> {
    return this.warehouse.query<ReceiptRow>(
      `SELECT to_char(d.date, 'YYYY-MM-DD') AS date, fa.facility_id AS "facilityId", fa.code, s.receipts, s.purchase_orders AS "purchaseOrders",
              s.lines, s.units
         FROM (SELECT f.receipt_date_key, f.facility_id, count(DISTINCT f.receipt_id)::int AS receipts,
                      count(DISTINCT f.purchase_order_id)::int AS purchase_orders, count(*)::int AS lines, sum(f.units)::float8 AS units
                 FROM fact_receipt f
                WHERE f.receipt_date_key BETWEEN $1 AND $2
                GROUP BY f.receipt_date_key, f.facility_id) s
         JOIN dim_date d ON d.date_key = s.receipt_date_key
         JOIN dim_facility fa ON fa.facility_id = s.facility_id
        ORDER BY d.date, fa.code`,
      [fromKey, toKey],
    );
  }

  /** Each receipt once (its lines share its facility and lead days). */
  purchaseOrderLeadTimes(fromKey: number, toKey: number): Promise<PurchaseOrderLeadTimeRow[]> {
    return this.warehouse.query<PurchaseOrderLeadTimeRow>(
      `SELECT fa.facility_id AS "facilityId", fa.code, s.receipts, s."meanLeadDays", s."p50LeadDays", s."p90LeadDays", s."onTimeShare"
         FROM (SELECT r.facility_id, count(*)::int AS receipts, ${days('avg(r.lead_days)')} AS "meanLeadDays",
                      ${days('percentile_cont(0.5) WITHIN GROUP (ORDER BY r.lead_days)')} AS "p50LeadDays",
                      ${days('percentile_cont(0.9) WITHIN GROUP (ORDER BY r.lead_days)')} AS "p90LeadDays",
                      round(avg((r.lead_days <= 0)::int)::numeric, 4)::float8 AS "onTimeShare"
                 FROM (SELECT DISTINCT receipt_id, facility_id, lead_days
                         FROM fact_receipt
                        WHERE receipt_date_key BETWEEN $1 AND $2) r
                GROUP BY r.facility_id) s
         JOIN dim_facility fa ON fa.facility_id = s.facility_id
        ORDER BY fa.code`,
      [fromKey, toKey],
    );
  }

  /**
   * The items waiting with a promise, per product, aged to the last successful run's finish, in
   * one statement: the rows and their as-of time are read from one snapshot of the warehouse.
   */
  async preordersWaiting(limit: number): Promise<PreordersWaiting> {
    const rows = await this.warehouse.query<PreorderWaitingRow & { asOf: Date }>(
      `WITH run AS (SELECT finished_at AS as_of FROM etl_run WHERE status = 'succeeded' ORDER BY finished_at DESC LIMIT 1)
       SELECT run.as_of AS "asOf", w.*
         FROM run LEFT JOIN LATERAL (
              SELECT p.product_id AS "productId", p.sku, p.name, s.lines, s.units, s."oldestAgeDays", s."meanAgeDays",
                     s."earliestPromiseDate", s."latestPromiseDate"
                FROM (SELECT f.product_id, count(*)::int AS lines, sum(f.units)::float8 AS units,
                             ${days(`max(${ageDays('f.ordered_at')})`)} AS "oldestAgeDays",
                             ${days(`avg(${ageDays('f.ordered_at')})`)} AS "meanAgeDays",
                             to_char(min(f.promise_date), 'YYYY-MM-DD') AS "earliestPromiseDate",
                             to_char(max(f.promise_date), 'YYYY-MM-DD') AS "latestPromiseDate"
                        FROM fact_order_item f
                       WHERE f.promise_date IS NOT NULL
                       GROUP BY f.product_id) s
                JOIN dim_product p ON p.product_id = s.product_id
               ORDER BY s."oldestAgeDays" DESC, p.sku
               LIMIT $1) w ON true
        ORDER BY w."oldestAgeDays" DESC, w.sku`,
      [limit],
    );
    return {
      asOf: rows[0]?.asOf ?? null,
      rows: rows.filter((row) => row.productId !== null).map(({ asOf: _asOf, ...row }) => row),
    };
  }
}
