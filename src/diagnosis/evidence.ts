import type { CheckId } from '../domain/ids.js';

/**
 * A rule's evidence as it gathers it, and which checks it quotes: a line taken from a check (its
 * summary, an evidence line, a signal's evidence, its error) is quoted; a line the rule writes
 * from a check's numbers is its own. What a cause quotes is what diagnose() relates it by.
 */
export class Evidence {
  readonly lines: string[] = [];
  readonly quotes: CheckId[] = [];

  quote(from: CheckId, ...lines: readonly string[]): void {
    if (!lines.length) return;
    this.lines.push(...lines);
    if (!this.quotes.includes(from)) this.quotes.push(from);
  }

  own(...lines: readonly string[]): void {
    this.lines.push(...lines);
  }
}
