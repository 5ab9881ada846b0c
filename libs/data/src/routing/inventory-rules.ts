import { compareCondition } from './condition-compare';
import { compareText } from './order-filters';
import type { InventoryFilter, InventorySort, RoutingRule } from './routing-config';

/** Why a rule kept a candidate facility or dropped it. */
export const CANDIDATE_REASONS = [
  'CHOSEN',
  'OUTRANKED',
  'NOT_PICKUP_FACILITY',
  'CANNOT_SHIP',
  'BROKERING_DISABLED',
  'NO_CAPACITY',
  'NOT_IN_GROUP',
  'FACILITY_TYPE',
  'DISTANCE',
  'SAFETY_STOCK',
  'REJECTED_BEFORE',
  'NO_STOCK',
] as const;
export type CandidateReason = (typeof CANDIDATE_REASONS)[number];

/** A facility as one rule sees it for one order. */
export interface FacilityView {
  id: string;
  code: string;
  type: string;
  canShip: boolean;
  allowBrokering: boolean;
  /** Null when the order has no coordinates. */
  distanceKm: number | null;
  /** Whether the facility's daily order limit lets this order in (it has room, or the order already counts there). */
  hasCapacity: boolean;
  /** Member sequence per facility group code. */
  groupSequences: Readonly<Record<string, number>>;
}

/** What the rule's inventory filters say of a rule, read once per rule. */
export interface RuleSettings {
  facilityFilters: InventoryFilter[];
  safetyStock: number;
  ignoreOrderLimit: boolean;
  shipmentThreshold: number | null;
  allItemsAvailable: boolean;
  /** The group codes of facilityGroup equals/in filters, in order: facilitySequence sorts by the first that holds the facility. */
  sequenceGroups: string[];
}

export function ruleSettings(rule: RoutingRule): RuleSettings {
  const filters = rule.inventoryFilters;
  const valueOf = (field: InventoryFilter['field']) => filters.find((filter) => filter.field === field)?.value;
  const threshold = valueOf('shipmentThreshold');
  return {
    facilityFilters: filters.filter((filter) => FACILITY_FIELDS.has(filter.field)),
    safetyStock: filters
      .filter((filter) => filter.field === 'brokeringSafetyStock')
      .reduce((most, filter) => Math.max(most, (filter.value as number) + (filter.operator === 'greater' ? 1 : 0)), 0),
    ignoreOrderLimit: valueOf('ignoreFacilityOrderLimit') === true,
    shipmentThreshold: typeof threshold === 'number' ? threshold : null,
    allItemsAvailable: valueOf('allItemsAvailable') === true,
    sequenceGroups: filters
      .filter((filter) => filter.field === 'facilityGroup' && (filter.operator === 'equals' || filter.operator === 'in'))
      .flatMap((filter) => (Array.isArray(filter.value) ? filter.value : [filter.value]).map(String)),
  };
}

const FACILITY_FIELDS = new Set<InventoryFilter['field']>(['facilityGroup', 'facilityType', 'distanceKm']);

/** The first reason a facility is not a candidate at all, before its stock is looked at; undefined when it is one. */
export function facilityDropReason(facility: FacilityView, settings: RuleSettings): CandidateReason | undefined {
  if (!facility.canShip) return 'CANNOT_SHIP';
  if (!facility.allowBrokering) return 'BROKERING_DISABLED';
  if (!settings.ignoreOrderLimit && !facility.hasCapacity) return 'NO_CAPACITY';
  for (const filter of settings.facilityFilters) {
    if (!passesFacilityFilter(facility, filter)) return FILTER_REASON[filter.field];
  }
  return undefined;
}

const FILTER_REASON: Partial<Record<InventoryFilter['field'], CandidateReason>> = {
  facilityGroup: 'NOT_IN_GROUP',
  facilityType: 'FACILITY_TYPE',
  distanceKm: 'DISTANCE',
};

function passesFacilityFilter(facility: FacilityView, filter: InventoryFilter): boolean {
  switch (filter.field) {
    case 'facilityGroup': {
      const groups = Object.keys(facility.groupSequences);
      const positive = filter.operator === 'equals' || filter.operator === 'in';
      const listed = (Array.isArray(filter.value) ? filter.value : [filter.value]).map(String);
      return groups.some((code) => listed.includes(code)) === positive;
    }
    case 'facilityType':
      return compareCondition(facility.type, filter);
    case 'distanceKm':
      // Without the order's coordinates, distance filters keep no facility.
      return facility.distanceKm !== null && compareCondition(facility.distanceKm, filter);
    default:
      return true;
  }
}

/** A kept candidate with what the sorts compare. */
export interface RankedFacility {
  facility: FacilityView;
  /** Brokerable quantity of the order's remaining products there. */
  balance: number;
}

/** The rule's sorts, then more brokerable quantity, then facility code: a total order, so plans are repeatable. */
export function compareCandidates(sorts: InventorySort[], settings: RuleSettings): (a: RankedFacility, b: RankedFacility) => number {
  return (a, b) => {
    for (const sort of sorts) {
      const difference = compareCandidateField(a, b, sort, settings);
      if (difference !== 0) return sort.direction === 'asc' ? difference : -difference;
    }
    return b.balance - a.balance || compareText(a.facility.code, b.facility.code);
  };
}

function compareCandidateField(a: RankedFacility, b: RankedFacility, sort: InventorySort, settings: RuleSettings): number {
  switch (sort.field) {
    case 'distance':
      // Without coordinates every facility is equally far.
      return (a.facility.distanceKm ?? 0) - (b.facility.distanceKm ?? 0);
    case 'inventoryBalance':
      return a.balance - b.balance;
    case 'facilitySequence':
      return sequenceOf(a.facility, settings) - sequenceOf(b.facility, settings);
  }
}

function sequenceOf(facility: FacilityView, settings: RuleSettings): number {
  const group = settings.sequenceGroups.find((code) => code in facility.groupSequences);
  return group === undefined ? Number.MAX_SAFE_INTEGER : facility.groupSequences[group];
}
