import { OpsError } from '../errors.js';

/**
 * Bounds concurrent SSH channels per connection. OpenSSH's MaxSessions defaults to 10; opening an
 * 11th channel fails with "open failed", so callers queue here instead, with a bounded wait.
 */
export class Semaphore {
  #free: number;
  readonly #waiters: Array<{ grant: () => void }> = [];

  constructor(size: number) {
    this.#free = size;
  }

  /** Permits not taken right now (for tests and the soak benchmark's leak checks). */
  get available(): number {
    return this.#free;
  }

  acquire(timeoutMs: number): Promise<() => void> {
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(this.#releaser());
        },
      };
      const timer = setTimeout(() => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new OpsError('EXEC_TIMEOUT', `no free SSH channel within ${timeoutMs} ms (all busy)`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  #releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.#waiters.shift();
      if (next) next.grant();
      else this.#free++;
    };
  }
}
