import { InvalidInputError } from '@app/platform';
import { isDeepStrictEqual } from 'node:util';
import type { ShippingAddress } from '../entities/sales-order.entity';
import { coordinateProblems, OrderFields, pickupProblems, ShippingMethod } from './order-fields';

/** What customer service may change on an order, as sent: absent fields stay as they are; null clears the promise date. */
export interface OrderEditInput {
  shippingAddress?: ShippingAddress;
  shippingMethod?: ShippingMethod;
  /** Where a PICKUP order is collected: required when the edit makes the order PICKUP and it has no pickup facility yet. */
  pickupFacilityId?: string;
  priority?: number;
  promiseDate?: string | null;
  tags?: string[];
}

/** The editable fields of an order as stored. */
export type EditableOrder = OrderFields & { shippingAddress: ShippingAddress };
export type EditableField = keyof EditableOrder;

/** Fields whose change asks for the order's unpicked items to be routed again: where and how the order goes, and how urgently. */
const ROUTING_FIELDS: ReadonlySet<EditableField> = new Set(['shippingAddress', 'shippingMethod', 'pickupFacilityId', 'priority', 'promiseDate']);

export interface OrderEdit {
  fields: EditableOrder;
  /** The fields whose value the edit changes, in a stable order; empty for an edit that changes nothing. */
  changed: EditableField[];
  /** Whether the change is one routing decides on (see ROUTING_FIELDS). */
  reroutes: boolean;
}

/**
 * The order's fields after the edit, with what it changes. A method other than PICKUP drops the
 * pickup facility; PICKUP needs one (sent or kept), and the address's coordinates stay a pair.
 * Whether the pickup facility exists and offers pickup is for the caller to check.
 */
export function applyOrderEdit(current: EditableOrder, edit: OrderEditInput): OrderEdit {
  const shippingMethod = edit.shippingMethod ?? current.shippingMethod;
  const keptPickupFacility = shippingMethod === 'PICKUP' ? current.pickupFacilityId : null;
  const fields: EditableOrder = {
    // As it is stored (JSON), so that the same address sent again is no change.
    shippingAddress:
      edit.shippingAddress === undefined ? current.shippingAddress : (JSON.parse(JSON.stringify(edit.shippingAddress)) as ShippingAddress),
    shippingMethod,
    pickupFacilityId: edit.pickupFacilityId ?? keptPickupFacility,
    priority: edit.priority ?? current.priority,
    promiseDate: edit.promiseDate === undefined ? current.promiseDate : edit.promiseDate,
    tags: edit.tags === undefined ? current.tags : [...new Set(edit.tags)],
  };
  const problems = [...pickupProblems(fields.shippingMethod, fields.pickupFacilityId), ...coordinateProblems(fields.shippingAddress)];
  if (problems.length > 0) throw InvalidInputError.ofFields(problems);
  const changed = (Object.keys(fields) as EditableField[]).filter((field) => !isDeepStrictEqual(fields[field], current[field])).sort();
  return { fields, changed, reroutes: changed.some((field) => ROUTING_FIELDS.has(field)) };
}
