import { FieldProblem, InvalidInputError } from '@app/platform';
import type { ShippingAddress } from '../entities/sales-order.entity';

/** How an order reaches its customer. The API's enum and the database's CHECK constraint come from this list. */
export const SHIPPING_METHODS = ['STANDARD', 'EXPRESS', 'NEXT_DAY', 'PICKUP'] as const;
export type ShippingMethod = (typeof SHIPPING_METHODS)[number];
export const DEFAULT_SHIPPING_METHOD: ShippingMethod = 'STANDARD';

/** 0..9, higher is more urgent. */
export const ORDER_PRIORITY = { min: 0, max: 9, default: 5 } as const;

export const ORDER_TAGS = { maxCount: 20, minLength: 1, maxLength: 64 } as const;

/** The optional fields of a new order, as sent. */
export interface OrderFieldsInput {
  shippingMethod?: ShippingMethod;
  pickupFacilityId?: string;
  priority?: number;
  /** YYYY-MM-DD. */
  promiseDate?: string;
  tags?: string[];
  shippingAddress: ShippingAddress;
}

/** The same fields as stored: defaults applied, tags deduplicated. */
export interface OrderFields {
  shippingMethod: ShippingMethod;
  pickupFacilityId: string | null;
  priority: number;
  promiseDate: string | null;
  tags: string[];
}

/**
 * The fields of a new order with their defaults, once the rules that tie fields together hold:
 * a pickup facility with PICKUP and only then, and the address's coordinates both or neither.
 * Whether the facility exists and can do pickup is for the order-insert statement to say.
 */
export function orderFields(input: OrderFieldsInput): OrderFields {
  const shippingMethod = input.shippingMethod ?? DEFAULT_SHIPPING_METHOD;
  const pickupFacilityId = input.pickupFacilityId ?? null;
  const problems = [...pickupProblems(shippingMethod, pickupFacilityId), ...coordinateProblems(input.shippingAddress)];
  if (problems.length > 0) throw InvalidInputError.ofFields(problems);
  return {
    shippingMethod,
    pickupFacilityId,
    priority: input.priority ?? ORDER_PRIORITY.default,
    promiseDate: input.promiseDate ?? null,
    tags: [...new Set(input.tags ?? [])],
  };
}

export function pickupProblems(shippingMethod: ShippingMethod, pickupFacilityId: string | null): FieldProblem[] {
  if (shippingMethod === 'PICKUP' && pickupFacilityId === null) {
    return [{ field: 'pickupFacilityId', message: 'pickupFacilityId is required when shippingMethod is PICKUP' }];
  }
  if (shippingMethod !== 'PICKUP' && pickupFacilityId !== null) {
    return [{ field: 'pickupFacilityId', message: 'pickupFacilityId is allowed only when shippingMethod is PICKUP' }];
  }
  return [];
}

/** Coordinates locate the address only as a pair. */
export function coordinateProblems(address: ShippingAddress): FieldProblem[] {
  const hasLatitude = address.latitude !== undefined;
  const hasLongitude = address.longitude !== undefined;
  if (hasLatitude === hasLongitude) return [];
  const [given, missing] = hasLatitude ? ['latitude', 'longitude'] : ['longitude', 'latitude'];
  return [{ field: `shippingAddress.${missing}`, message: `shippingAddress.${missing} is required with shippingAddress.${given}` }];
}

/** Why the order-insert statement refused the pickup facility, if it did. */
export type PickupFacilityVerdict = 'unknown' | 'no-pickup' | null;

export function pickupFacilityRefusal(facilityId: string, verdict: Exclude<PickupFacilityVerdict, null>): InvalidInputError {
  const message = verdict === 'unknown' ? `facility ${facilityId} does not exist` : `facility ${facilityId} does not offer pickup`;
  return new InvalidInputError(`pickupFacilityId: ${message}`, [{ field: 'pickupFacilityId', message }]);
}
