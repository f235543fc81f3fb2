/**
 * Collects stdout and stderr up to a shared byte cap. Past the cap the rest is dropped, `truncated`
 * is set and `onFull` runs once (the caller stops the command: closes the channel or kills the
 * group), so a runaway command costs `maxBytes`, not the bot's memory.
 */
export class CappedOutput {
  readonly #out: Buffer[] = [];
  readonly #err: Buffer[] = [];
  readonly #maxBytes: number;
  readonly #onFull: () => void;
  #size = 0;
  truncated = false;

  constructor(maxBytes: number, onFull: () => void) {
    this.#maxBytes = maxBytes;
    this.#onFull = onFull;
  }

  readonly onStdout = (chunk: Buffer): void => this.#take(this.#out, chunk);
  readonly onStderr = (chunk: Buffer): void => this.#take(this.#err, chunk);

  get stdout(): string {
    return Buffer.concat(this.#out).toString('utf8');
  }

  get stderr(): string {
    return Buffer.concat(this.#err).toString('utf8');
  }

  #take(into: Buffer[], chunk: Buffer): void {
    if (this.truncated) return;
    const room = this.#maxBytes - this.#size;
    if (chunk.length >= room) {
      into.push(chunk.subarray(0, room));
      this.#size = this.#maxBytes;
      this.truncated = true;
      this.#onFull();
      return;
    }
    this.#size += chunk.length;
    into.push(chunk);
  }
}
