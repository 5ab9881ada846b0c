export interface LoopResult {
  ok: number;
  failures: string[];
}

/**
 * Keeps `concurrency` clients sending GETs back to back until stopped, recording every response
 * that is not 200 and every network error: what a user of the load balancer would see fail.
 */
export function requestLoop(url: string, concurrency = 4): { stop: () => Promise<LoopResult> } {
  let running = true;
  const result: LoopResult = { ok: 0, failures: [] };
  const client = async () => {
    while (running) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        if (response.status === 200) result.ok++;
        else result.failures.push(`HTTP ${response.status}`);
      } catch (error) {
        result.failures.push(String((error as Error).cause ?? error));
      }
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  return {
    stop: async () => {
      running = false;
      await Promise.all(clients);
      return result;
    },
  };
}
