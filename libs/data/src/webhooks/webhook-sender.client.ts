import { Injectable } from '@nestjs/common';
import { webhookSignature } from './webhook-signature';

/** How long a partner has to answer a delivery. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookPost {
  url: string;
  secret: string;
  /** The exact bytes that are sent and signed. */
  body: string;
}

/** The answer's status, or why there was none (timeout, refused connection). */
export type WebhookPostResult = { status: number; error: null } | { status: null; error: string };

/** POSTs signed webhook bodies. Redirects are not followed: a 3xx is an answer that is not 2xx, and retried. */
@Injectable()
export class WebhookSender {
  async post({ url, secret, body }: WebhookPost, timeoutMs = WEBHOOK_TIMEOUT_MS): Promise<WebhookPostResult> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'oms-webhooks', 'x-oms-signature': webhookSignature(body, secret) },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // Read to the end so that the connection can carry the next delivery.
      await response.arrayBuffer();
      return { status: response.status, error: null };
    } catch (error) {
      return { status: null, error: describeFailure(error) };
    }
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'timeout';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return (cause?.code ?? cause?.message ?? (error as Error).message ?? String(error)).slice(0, 500);
}
