import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The directory of real captured output (see its README for how each file was made). */
export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** Real captured output kept in test/fixtures. */
export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}
