import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** What `privateStoreFiles` did about files other users could read. */
export interface Tightened {
  readonly file: string;
  /** The mode found, e.g. "644". */
  readonly was: string;
  /** Why it could not be made 0600 (not the owner, say); undefined when it was. */
  readonly error?: string;
}

/**
 * The store holds incidents, alert texts, who asked for and approved restarts: owner-only (0600).
 * SQLite creates its -wal and -shm files with the mode of the database file, so the database is
 * created empty with 0600 before SQLite opens it (umask cannot widen that). A file left readable
 * by others (a store from an older version, a copy) is tightened rather than refused: the watcher
 * keeps running, and the caller logs what was changed or, when chmod is not allowed, how to fix it.
 */
export function privateStoreFiles(path: string): Tightened[] {
  if (path === ':memory:') return [];
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if (code(err) !== 'EEXIST') throw err;
  }
  const found: Tightened[] = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    let mode: number;
    try {
      mode = statSync(file).mode & 0o777;
    } catch (err) {
      if (code(err) === 'ENOENT') continue; // -wal and -shm exist only while a connection is open (or after a crash)
      throw err;
    }
    if ((mode & 0o077) === 0) continue;
    const was = mode.toString(8);
    try {
      chmodSync(file, 0o600);
      found.push({ file, was });
    } catch (err) {
      found.push({ file, was, error: code(err) ?? String(err) });
    }
  }
  return found;
}

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;
