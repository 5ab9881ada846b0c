import { MigrationInterface, QueryRunner } from 'typeorm';

const ITEM_STATUSES = `'CREATED', 'ALLOCATED', 'BACKORDERED', 'PICKING', 'PACKED', 'READY_FOR_PICKUP', 'SHIPPED', 'HANDED_OVER', 'CANCELLED'`;

/**
 * Items gain the statuses of the work at their facility: PICKING, PACKED, READY_FOR_PICKUP and
 * HANDED_OVER. Every one of them names the facility that holds the item (or held it, once gone).
 */
export class FulfilmentStatuses1764000002000 implements MigrationInterface {
  name = 'FulfilmentStatuses1764000002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE order_item DROP CONSTRAINT order_item_status_check, DROP CONSTRAINT order_item_allocated_has_facility,
        ADD CONSTRAINT order_item_status_check CHECK (status IN (${ITEM_STATUSES})),
        ADD CONSTRAINT order_item_allocated_has_facility
          CHECK (status IN ('CREATED', 'BACKORDERED', 'CANCELLED') OR facility_id IS NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE order_item SET status = CASE WHEN status = 'HANDED_OVER' THEN 'SHIPPED' ELSE 'ALLOCATED' END
       WHERE status IN ('PICKING', 'PACKED', 'READY_FOR_PICKUP', 'HANDED_OVER')`);
    await q.query(`
      ALTER TABLE order_item DROP CONSTRAINT order_item_status_check, DROP CONSTRAINT order_item_allocated_has_facility,
        ADD CONSTRAINT order_item_status_check CHECK (status IN ('CREATED', 'ALLOCATED', 'BACKORDERED', 'SHIPPED', 'CANCELLED')),
        ADD CONSTRAINT order_item_allocated_has_facility CHECK (status NOT IN ('ALLOCATED', 'SHIPPED') OR facility_id IS NOT NULL)`);
  }
}
