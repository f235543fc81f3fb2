import { readFileSync } from 'node:fs';

/** Real captured output kept in test/fixtures (see its README for how each was made). */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
