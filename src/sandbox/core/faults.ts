/**
 * Faults queued through the control API for a named endpoint (e.g. `graph.ig.media.create`):
 * the next matching requests answer with the given response, hang, or are slowed down.
 */
export type Fault =
  | {
      type: 'response';
      status: number;
      body?: unknown;
      headers?: Record<string, string>;
    }
  /** The request never gets an answer until the client gives up (the socket is held open). */
  | { type: 'timeout' }
  /** The request is served normally after a delay. */
  | { type: 'latency'; ms: number };

interface QueuedFault {
  endpoint: string;
  fault: Fault;
  remaining: number;
}

export class FaultQueue {
  #queue: QueuedFault[] = [];

  /** Queues `fault` for the next `times` requests to `endpoint` (`*` matches every endpoint). */
  add(endpoint: string, fault: Fault, times = 1): void {
    this.#queue.push({ endpoint, fault, remaining: times });
  }

  /** Takes the first fault queued for this endpoint, if any. */
  take(endpoint: string): Fault | undefined {
    const index = this.#queue.findIndex((item) => item.endpoint === endpoint || item.endpoint === '*');
    if (index === -1) return undefined;
    const item = this.#queue[index];
    if (!item) return undefined;
    item.remaining -= 1;
    if (item.remaining <= 0) this.#queue.splice(index, 1);
    return item.fault;
  }

  pending(): Array<{ endpoint: string; fault: Fault; remaining: number }> {
    return this.#queue.map((item) => ({ ...item }));
  }

  clear(): void {
    this.#queue = [];
  }
}
