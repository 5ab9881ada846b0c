import { createHmac } from 'node:crypto';

/** The `X-OMS-Signature` value of a body: `sha256=` and the hex HMAC-SHA256 of its exact bytes with the endpoint's secret. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
