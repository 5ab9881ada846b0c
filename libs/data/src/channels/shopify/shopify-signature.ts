import { createHmac, timingSafeEqual } from 'node:crypto';

/** A base64 HMAC-SHA256: 32 bytes, 44 characters with their one `=`. */
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Whether `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body with the channel's
 * secret. Over the bytes as received: a body parsed and serialised again is another body. Compared
 * in constant time, so the answer's timing tells nothing about how much of a forgery was right.
 */
export function shopifySignatureMatches(rawBody: Buffer, signature: string | undefined, secret: string): boolean {
  if (signature === undefined || !BASE64_SHA256.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(signature, 'base64'), expected);
}

/** The signature Shopify sends with this body (for tests and the benchmark's senders). */
export function shopifySignature(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}
