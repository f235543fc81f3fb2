import type { HostConfig, WatchSettings } from '../config/types.js';
import type { Cause } from '../diagnosis/cause.js';
import type { CauseId } from '../domain/ids.js';
import { incidentKey, parseIncidentKey, type IncidentKey } from '../domain/incident-key.js';
import type { HostReport } from '../engine/host-report.js';

/** What one cycle says about one incident key: failing, fine, or not known (inhibited / not checked). */
export type Verdict = 'fail' | 'ok' | 'unknown';

export interface Observation {
  readonly key: IncidentKey;
  readonly verdict: Verdict;
  /** The host, or for a shared database `db <name>`: what the alert names. */
  readonly subject: string;
  /** Hosts whose silence covers this key (one for a host key, every affected host for a database). */
  readonly hosts: readonly string[];
  readonly cause: CauseId;
  /** The diagnosis when failing: title, evidence, advice. */
  readonly detail: Cause | undefined;
  /** Failing hosts folded into a database incident, with what each shows. */
  readonly affected: readonly string[];
}

/**
 * App failures a database outage explains: on hosts sharing it they go into the one database
 * thread. An app-unhealthy beside a database that is down is most likely that outage too.
 */
const FOLDED_INTO_DB: readonly CauseId[] = ['app-unresponsive', 'workers-saturated', 'db-connection-dropped', 'db-connections-exhausted', 'app-unhealthy'];

export const hostKey = (host: string, cause: CauseId): IncidentKey => incidentKey({ kind: 'host', name: host, cause });
/** A shared database has one incident: its outage. */
export const dbKey = (db: string): IncidentKey => incidentKey({ kind: 'db', name: db, cause: 'db-unreachable' });

/**
 * Pure: this cycle's reports → one observation per incident key, with inhibition and grouping
 * applied. `known` are keys already tracked: those not failing now become 'ok' (or 'unknown' when
 * the host's state cannot be seen) so incidents can resolve.
 */
export function observe(
  reports: readonly HostReport[],
  hosts: readonly HostConfig[],
  known: readonly IncidentKey[],
  w: Pick<WatchSettings, 'alertWarnings'>,
): Observation[] {
  const out = new Map<IncidentKey, Observation>();
  const unknownHosts = new Set<string>();
  const checkedHosts = new Set<string>();
  const checkedDbs = new Set<string>();
  const dbFailures = new Map<string, { hosts: string[]; affected: string[]; detail: Cause }>();

  for (const r of reports) {
    const host = hosts.find((h) => h.name === r.name);
    checkedHosts.add(r.name);
    const alerting = r.causes.filter((c) => c.severity === 'critical' || w.alertWarnings.includes(c.id));
    // host-unreachable hides everything else about the host: nothing else can be seen.
    const unreachable = alerting.find((c) => c.id === 'host-unreachable');
    if (unreachable) {
      unknownHosts.add(r.name);
      out.set(hostKey(r.name, unreachable.id), fail(hostKey(r.name, unreachable.id), r.name, [r.name], unreachable));
      continue;
    }
    if (host?.dbName) checkedDbs.add(host.dbName);
    const dbDown = alerting.find((c) => c.id === 'db-unreachable');
    for (const c of alerting) {
      if (c.id === 'db-unreachable' && host?.dbName) {
        const g = dbFailures.get(host.dbName) ?? { hosts: [], affected: [], detail: c };
        g.hosts.push(r.name);
        dbFailures.set(host.dbName, g);
        continue;
      }
      if (dbDown && host?.dbName && FOLDED_INTO_DB.includes(c.id)) {
        dbFailures.get(host.dbName)?.affected.push(`${r.name}: ${c.id} — ${c.title}`);
        out.set(hostKey(r.name, c.id), { ...fail(hostKey(r.name, c.id), r.name, [r.name], c), verdict: 'unknown' });
        continue;
      }
      out.set(hostKey(r.name, c.id), fail(hostKey(r.name, c.id), r.name, [r.name], c));
    }
  }
  for (const [db, g] of dbFailures) {
    const key = dbKey(db);
    out.set(key, { key, verdict: 'fail', subject: `db ${db}`, hosts: g.hosts, cause: 'db-unreachable', detail: g.detail, affected: g.affected });
  }
  // Tracked keys not failing now: fine if their host (or database) was seen, unknown otherwise.
  for (const key of known) {
    if (out.has(key)) continue;
    const parsed = parseIncidentKey(key);
    if (!parsed) continue;
    const seen =
      parsed.kind === 'host'
        ? checkedHosts.has(parsed.name) && (!unknownHosts.has(parsed.name) || parsed.cause === 'host-unreachable')
        : checkedDbs.has(parsed.name);
    out.set(key, {
      key,
      verdict: seen ? 'ok' : 'unknown',
      subject: parsed.kind === 'host' ? parsed.name : `db ${parsed.name}`,
      hosts: parsed.kind === 'host' ? [parsed.name] : [],
      cause: parsed.cause,
      detail: undefined,
      affected: [],
    });
  }
  return [...out.values()];
}

function fail(key: IncidentKey, subject: string, hosts: string[], detail: Cause): Observation {
  return { key, verdict: 'fail', subject, hosts, cause: detail.id, detail, affected: [] };
}
