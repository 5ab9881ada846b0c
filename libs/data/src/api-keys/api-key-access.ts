/**
 * What an API key may do and reach. A key without restrictions (null) keeps the back-office
 * key's powers: every permission, also one added later, every channel, every facility.
 */
export const API_PERMISSIONS = ['catalog:write', 'inventory:write', 'orders:read', 'orders:write', 'fulfilment', 'reports:read'] as const;
export type ApiPermission = (typeof API_PERMISSIONS)[number];

/** The channels (codes) and facilities (ids) a key reaches; null: all of them. */
export interface AccessScope {
  channels: readonly string[] | null;
  facilities: readonly string[] | null;
}

export interface ApiKeyRestrictions extends AccessScope {
  permissions: readonly ApiPermission[] | null;
}

export const UNRESTRICTED: ApiKeyRestrictions = { permissions: null, channels: null, facilities: null };

/** The permission the key lacks for a route that requires `required`, or undefined when it may go on. */
export function missingPermission(key: ApiKeyRestrictions, required: ApiPermission | undefined): ApiPermission | undefined {
  if (required === undefined || key.permissions === null || key.permissions.includes(required)) return undefined;
  return required;
}

export const reachesChannel = (scope: AccessScope, channel: string): boolean => scope.channels === null || scope.channels.includes(channel);

export const reachesFacility = (scope: AccessScope, facilityId: string): boolean =>
  scope.facilities === null || scope.facilities.includes(facilityId.toLowerCase());
