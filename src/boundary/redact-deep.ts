import type { Redact } from './redact.js';

/**
 * Every string inside plain objects and arrays, redacted; numbers, booleans and null as they are.
 * Check results and Slack payloads are plain data, so a mask never breaks a structure (the JSON
 * text of a message is never redacted as text). Anything else (a Map, a class) is kept as is.
 */
export function redactDeep<T>(value: T, redact: Redact): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => redactDeep(v, redact)) as T;
  if (value !== null && typeof value === 'object' && isPlain(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, redact)])) as T;
  }
  return value;
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
