import type { z } from 'zod';
import { withFix } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { fixFor, formatPath } from './fix-hints.js';
import { schemaKeysAt } from './schema-keys-at.js';

/**
 * One zod issue → the problems it stands for, each "path: what — fix". An unrecognized-keys issue
 * becomes one problem per key, named at the key itself and with the closest key `schema` allows
 * there: `hosts[0].ssh.usrname: unknown key — did you mean "username"?`.
 */
export function describeIssue(issue: z.core.$ZodIssue, schema: z.core.$ZodType): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = schemaKeysAt(schema, issue.path);
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key — ${unknownKeyFix(key, known)}`);
  }
  const path = formatPath(issue.path);
  const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
  const what = missing ? 'required' : issue.message;
  return [withFix(`${path || '(top level)'}: ${what}`, fixFor(path))];
}

function unknownKeyFix(key: string, known: readonly string[]): string {
  const guess = didYouMean(key, known);
  if (guess) return `did you mean "${guess}"?`;
  return known.length ? `the keys here are ${known.join(', ')}` : 'remove it';
}
