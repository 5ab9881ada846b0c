/**
 * Why a customer sends items back, and what a return can be in. The TypeScript types, the API's
 * enums and the database's CHECK constraints come from these lists (an integration test holds the
 * migrated constraints against them).
 */
export const RETURN_REASONS = ['DAMAGED', 'WRONG_ITEM', 'NOT_AS_DESCRIBED', 'CHANGED_MIND', 'TOO_LATE', 'OTHER'] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];

/** A return is REQUESTED when announced and RECEIVED once the goods are back at its facility. */
export const RETURN_STATUSES = ['REQUESTED', 'RECEIVED'] as const;
export type ReturnStatus = (typeof RETURN_STATUSES)[number];
