import { inspect } from 'node:util';

/**
 * A value read from the environment that must never reach a log line, a Slack message or `--json`
 * output. Serialising or inspecting it yields a placeholder; only `reveal()` gives the value, and
 * only the transports call it — and `boundary/secret-values.ts`, so that the process's Redactor
 * masks the value verbatim if a host ever echoes it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
