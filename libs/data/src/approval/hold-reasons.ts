/** Why an order is held: the reasons an approval rule or customer service may give. */
export const HOLD_REASONS = ['AWAITING_PAYMENT', 'HIGH_RISK_OF_FRAUD', 'INCORRECT_ADDRESS', 'CUSTOMER_REQUEST', 'OTHER'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** A hold's note: free text, at most this long. */
export const HOLD_NOTE_MAX_LENGTH = 500;
