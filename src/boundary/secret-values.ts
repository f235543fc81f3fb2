import { Secret } from '../config/secret.js';

/**
 * Every `Secret` inside the given settings (the config, the Slack and ops settings), revealed:
 * what a `Redactor` masks verbatim. Walking the objects rather than naming fields means a secret
 * added to the config later is masked without anyone remembering to list it here.
 */
export function secretValues(...roots: readonly unknown[]): string[] {
  const out: string[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (v instanceof Secret) {
      const value = v.reveal();
      if (value) out.push(value);
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    for (const child of Array.isArray(v) ? v : Object.values(v)) walk(child);
  };
  for (const root of roots) walk(root);
  return out;
}
