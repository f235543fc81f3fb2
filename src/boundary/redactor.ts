import { MASK, redact, type Redact } from './redact.js';

// Shorter configured secrets are not masked verbatim: a 4-character password would turn every
// "pass" or "4096" in every output into ***. The patterns still mask them where a key names them.
export const MIN_VERBATIM = 6;

/**
 * The patterns of `redact`, plus the bot's own configured secrets verbatim (MySQL passwords, SSH
 * keys, Slack tokens, the metrics token), wherever a host echoes them, whatever surrounds them.
 *
 * One per process, made in main.ts (the composition root) and handed to the logger and the
 * transport pool; the secrets are added once the config is loaded, which happens after the
 * logger exists. Not a module global: the core never reads it, tests make their own.
 */
export class Redactor {
  readonly #values = new Set<string>();
  #verbatim: RegExp | undefined;

  /** Adds secret values; each is also masked JSON-escaped, URL-encoded and line by line (a PEM key). */
  addSecrets(values: Iterable<string>): this {
    for (const value of values) for (const form of forms(value)) if (form.length >= MIN_VERBATIM) this.#values.add(form);
    // Longest first, so a secret that contains another is masked whole.
    const sorted = [...this.#values].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.#verbatim = sorted.length ? new RegExp(sorted.join('|'), 'g') : undefined;
    return this;
  }

  /** Verbatim first: a pattern that masked part of a secret would hide the rest from it. */
  readonly redact: Redact = (text) => redact(this.#verbatim && text ? text.replace(this.#verbatim, MASK) : text);
}

function forms(value: string): string[] {
  const v = value.trim();
  const lines = v.includes('\n')
    ? v
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.length >= 16 && !l.startsWith('-----'))
    : [];
  return [v, JSON.stringify(v).slice(1, -1), encodeURIComponent(v), ...lines];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
