import type { DoctorItem } from './doctor-types.js';

/**
 * `SHOW GRANTS` as the monitor user, through the same MySQL session the db check opens: one row per
 * grant, one column named after the account. Example row:
 *   { "Grants for monitor@127.0.0.1": "GRANT PROCESS ON *.* TO `monitor`@`127.0.0.1` IDENTIFIED BY PASSWORD '*…'" }
 * PROCESS (or ALL PRIVILEGES) on *.* lets it read the whole process list, which the db check needs.
 */
export function evaluateGrants(rows: readonly Record<string, unknown>[], user: string): DoctorItem {
  const grants = rows.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === 'string'));
  const account = /\bTO\s+(`[^`]*`@`[^`]*`|'[^']*'@'[^']*')/i.exec(grants[0] ?? '')?.[1]?.replace(/`/g, "'") ?? `'${user}'@'127.0.0.1'`;
  const global = grants.filter((g) => /\bON\s+\*\.\*\s+TO\b/i.test(g));
  const has = global.some((g) => /^GRANT\s+(.*,\s*)?(PROCESS|ALL PRIVILEGES)\b.*\bON\b/i.test(g));
  if (has) return { id: 'mysql-grants', mark: 'pass', line: `MySQL ${account} has PROCESS: the db check sees every connection` };
  return {
    id: 'mysql-grants',
    mark: 'fail',
    line: `MySQL ${account} lacks PROCESS (${grants.length} grant${grants.length === 1 ? '' : 's'}, none with PROCESS on *.*)`,
    fix: `GRANT PROCESS ON *.* TO ${account};`,
  };
}

/** The session could not be opened or SHOW GRANTS failed: the error's own words and fix. */
export function grantsError(message: string, fix: string | undefined): DoctorItem {
  return { id: 'mysql-grants', mark: 'fail', line: `MySQL grants not read: ${message}`, ...(fix ? { fix } : {}) };
}
