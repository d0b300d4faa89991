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

/**
 * Kinds of random fault: a server error (5xx in the host's error shape), a timeout (held like a
 * `timeout` fault, before the platform does anything), a lost answer (the platform does what was
 * asked, then its answer is held the same way, as when a connection dies on the way back) and a
 * rate limit (the host's throttling answer: Graph code 4 with usage headers at 100 %, LinkedIn's 429).
 */
export const RANDOM_FAULT_KINDS = ['server_error', 'timeout', 'answer_lost', 'rate_limit'] as const;
export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];

/** A share of requests (0..1) answered with one kind of fault, on the named endpoints or on every one. */
export interface RandomFaultRule {
  kind: RandomFaultKind;
  rate: number;
  endpoints?: string[];
}

export interface RandomFaults {
  /** The same seed and the same sequence of requests give the same faults. */
  seed: number;
  rules: RandomFaultRule[];
}

/** mulberry32: a small seeded generator, uniform on [0, 1); plenty for spreading faults. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const noneInjected = (): Record<RandomFaultKind, number> => ({
  server_error: 0,
  timeout: 0,
  answer_lost: 0,
  rate_limit: 0,
});

export class FaultQueue {
  #queue: QueuedFault[] = [];
  #random?: { settings: RandomFaults; next: () => number };
  #injected = noneInjected();

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

  /**
   * Turns random faults on, replacing earlier settings and starting their counts from zero, or off
   * with `undefined` (the counts stay readable).
   */
  setRandom(settings: RandomFaults | undefined): void {
    this.#random = settings && { settings, next: seededRandom(settings.seed) };
    if (settings) this.#injected = noneInjected();
  }

  /**
   * Draws whether this request to `endpoint` fails, and how: one draw per request, against the
   * rules naming the endpoint (or every endpoint) in order, so their rates add up.
   */
  draw(endpoint: string): RandomFaultKind | undefined {
    if (!this.#random) return undefined;
    const roll = this.#random.next();
    let threshold = 0;
    for (const rule of this.#random.settings.rules) {
      if (rule.endpoints && !rule.endpoints.includes(endpoint)) continue;
      threshold += rule.rate;
      if (roll < threshold) {
        this.#injected[rule.kind] += 1;
        return rule.kind;
      }
    }
    return undefined;
  }

  /** The random fault settings, if on, and how many of each kind were injected since they were set. */
  random(): { settings: RandomFaults | null; injected: Record<RandomFaultKind, number> } {
    return { settings: this.#random?.settings ?? null, injected: { ...this.#injected } };
  }

  pending(): Array<{ endpoint: string; fault: Fault; remaining: number }> {
    return this.#queue.map((item) => ({ ...item }));
  }

  clear(): void {
    this.#queue = [];
    this.#random = undefined;
    this.#injected = noneInjected();
  }
}
