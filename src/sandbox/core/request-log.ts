/** Every request the sandbox served, for tests to read back through the control API. */
export interface LoggedRequest {
  id: number;
  at: string;
  /** The real host the request stands for, e.g. `graph.facebook.com`. */
  host: string;
  /** The endpoint name given to the route, e.g. `graph.debug_token`; `unknown` for unmatched paths. */
  endpoint: string;
  method: string;
  /** Path below the host prefix, with the query string. */
  path: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Bounded so that a long benchmark run cannot exhaust memory. */
const MAX_ENTRIES = 10_000;

export class RequestLog {
  #entries: LoggedRequest[] = [];
  #next = 1;

  record(entry: Omit<LoggedRequest, 'id'>): void {
    this.#entries.push({ id: this.#next++, ...entry });
    if (this.#entries.length > MAX_ENTRIES) this.#entries.splice(0, this.#entries.length - MAX_ENTRIES);
  }

  list(filter: { host?: string; endpoint?: string; since?: number } = {}): LoggedRequest[] {
    return this.#entries.filter(
      (entry) =>
        (!filter.host || entry.host === filter.host) &&
        (!filter.endpoint || entry.endpoint === filter.endpoint) &&
        (!filter.since || entry.id > filter.since),
    );
  }

  clear(): void {
    this.#entries = [];
  }
}
