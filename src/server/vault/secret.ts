import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A decrypted credential. The value is only reachable through `reveal()`; printing, logging or
 * serialising a Secret shows `[redacted]`, so a token cannot leak by accident.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (value.length === 0) throw new Error('a secret cannot be empty');
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
