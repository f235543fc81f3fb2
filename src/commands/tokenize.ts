import { printable } from '../engine/select-hosts.js';

export const MAX_COMMAND_LENGTH = 200;

/**
 * What a person typed → words. Only ASCII letters, digits, `.`, `_`, `-` and spaces are
 * accepted: host names and numbers are all any command takes. Everything else — `;`, `$(…)`,
 * back-ticks, quotes, non-ASCII look-alikes (a Cyrillic "р" in "prod"), invisible characters —
 * is refused with the position, instead of being cleaned up into something else.
 */
export function tokenize(text: string): { words: string[] } | { error: string } {
  const trimmed = text.trim();
  if (trimmed.length > MAX_COMMAND_LENGTH) return { error: `that is ${trimmed.length} characters long; commands are short, like "status prod-1"` };
  const bad = /[^A-Za-z0-9._\- \t]/.exec(trimmed);
  if (bad) {
    const ch = bad[0];
    const shown = /^[\x21-\x7e]$/.test(ch) ? `"${ch}"` : `${printable(ch)} (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`;
    return { error: `unexpected character ${shown} at position ${bad.index + 1}: commands take only host names and numbers, like "status prod-1"` };
  }
  return { words: trimmed.split(/[ \t]+/).filter(Boolean) };
}
