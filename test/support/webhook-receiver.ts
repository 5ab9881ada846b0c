import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  /** The raw body, as signed. */
  body: string;
  event: { id: string; type: string; at: string; data: Record<string, unknown> };
  signature: string | undefined;
  receivedAt: number;
}

/** What the receiver answers a delivery: a status, after an optional delay, or no answer at all ('hang'). */
export type ReceiverAnswer = number | 'hang';

/**
 * A partner's endpoint for outbound webhooks, on 127.0.0.1: it records every POST (raw body and
 * signature), answers what `answer` says (200 by default), optionally after `delayMs`, and tracks
 * how many requests per path it holds at once.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: (webhook: ReceivedWebhook) => ReceiverAnswer = () => 200;
  delayMs = 0;
  readonly maxConcurrent = new Map<string, number>();
  private readonly concurrent = new Map<string, number>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    const receiver = new WebhookReceiver(server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => void receiver.handle(request, response));
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path = '/hook'): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${path}`;
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.path === path);
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = request.url ?? '/';
    this.concurrent.set(path, (this.concurrent.get(path) ?? 0) + 1);
    this.maxConcurrent.set(path, Math.max(this.maxConcurrent.get(path) ?? 0, this.concurrent.get(path)!));
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = request.headers['x-oms-signature'];
      const webhook: ReceivedWebhook = {
        path,
        body,
        event: JSON.parse(body) as ReceivedWebhook['event'],
        signature: typeof signature === 'string' ? signature : undefined,
        receivedAt: Date.now(),
      };
      this.received.push(webhook);
      const answer = this.answer(webhook);
      if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (answer === 'hang') {
        this.hanging.add(response);
        return;
      }
      response.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
    } finally {
      this.concurrent.set(path, this.concurrent.get(path)! - 1);
    }
  }
}
