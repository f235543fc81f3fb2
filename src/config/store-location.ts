import { z } from 'zod';
import { duration } from './field-schemas.js';
import type { Env } from './load-config.js';
import { readEnvSecret } from './read-env-secret.js';
import type { StoreMysqlTarget } from './types.js';

/*
 * watch.store: a file path (the embedded SQLite store, the default) or mysql://USER@HOST:PORT/DB
 * (MySQL or MariaDB, for replicas on several machines). The password is never in the URL: the
 * config file is not a secret store, and the URL appears in messages. It comes from the
 * environment variable watch.storePasswordEnv names, like every other secret.
 */
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const MYSQL_FORM = 'mysql://USER@HOST:PORT/DB';

/** mysql://USER@HOST:PORT/DB → its parts, or what is wrong with it (the text never repeats a password). */
export function parseMysqlStoreUrl(text: string): Omit<StoreMysqlTarget, 'password' | 'passwordEnv'> | string {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `not a URL — write ${MYSQL_FORM}`;
  }
  if (u.password) return `has a password in it — remove ":…@" from the URL and export the password in the variable watch.storePasswordEnv names`;
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.username || !u.hostname || !database)
    return `needs a user, a host and a database — write ${MYSQL_FORM}, e.g. mysql://moneymind_bot@db.internal:3306/moneymind_bot`;
  if (!/^[A-Za-z0-9_$]{1,64}$/.test(database)) return `"${database}" is not a database name — letters, digits, _ and $ only`;
  if (u.search || u.hash) return `takes no ?options or #fragment — write ${MYSQL_FORM}`;
  const port = u.port ? Number(u.port) : 3306;
  const user = decodeURIComponent(u.username);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port, user, database, url: `mysql://${user}@${u.host}/${database}` };
}

export const storeLocation = z
  .string()
  .min(1)
  .superRefine((text, ctx) => {
    const scheme = SCHEME.exec(text)?.[1]?.toLowerCase();
    if (scheme === undefined) return;
    const parsed = scheme === 'mysql' ? parseMysqlStoreUrl(text) : `a file path for SQLite, or ${MYSQL_FORM} — ${scheme}:// is not a store the bot has`;
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  });

/** How long the watch lease lasts unrenewed (renewed every third of it): a dead leader's replacement starts within it. */
export const leaseTtl = duration.refine((ms) => ms >= 3000, 'at least 3s (it is renewed every third of it) — write e.g. 15s').prefault('15s');

/** A mysql:// store's target with its password, or undefined for a file; an unset password env is a problem. */
export function resolveStoreMysql(watch: { store: string; storePasswordEnv?: string | undefined }, env: Env, problems: string[]): StoreMysqlTarget | undefined {
  if (SCHEME.exec(watch.store)?.[1]?.toLowerCase() !== 'mysql') return undefined;
  const parsed = parseMysqlStoreUrl(watch.store);
  if (typeof parsed === 'string') return undefined; // the schema reported it
  if (!watch.storePasswordEnv) {
    problems.push(
      'watch.storePasswordEnv: required when watch.store is a mysql:// URL — ' +
        `name the environment variable holding ${parsed.user}'s password, e.g. storePasswordEnv: MONEYMIND_STORE_PASSWORD`,
    );
    return undefined;
  }
  const password = readEnvSecret('watch.storePasswordEnv', watch.storePasswordEnv, env, problems);
  return { ...parsed, password, passwordEnv: watch.storePasswordEnv };
}
