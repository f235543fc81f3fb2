import { clip } from '../boundary/clip.js';
import type { Config, HostConfig } from '../config/types.js';
import { OpsError } from '../errors.js';

/**
 * What the user typed → configured hosts. Only exact config names match (never a pattern, never
 * passed on): "all" or nothing means every host. Anything else is refused with the valid names.
 */
export function selectHosts(config: Config, typed: string | undefined): HostConfig[] {
  if (typed === undefined || typed === 'all') return [...config.hosts];
  const host = config.hosts.find((h) => h.name === typed);
  if (host) return [host];
  throw new OpsError('UNKNOWN_HOST', `unknown host "${printable(clip(typed, 41))}"`, { fix: `known hosts: ${config.hosts.map((h) => h.name).join(', ')}` });
}

/** Control and invisible characters shown as \u escapes so an error can't reshape a terminal or a message. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
