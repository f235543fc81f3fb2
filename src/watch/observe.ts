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
  /** The host, or for a shared database `db <name>`, for a jump host `jump host <name>`: what the alert names. */
  readonly subject: string;
  /** Hosts whose silence covers this key (one for a host key, every affected host for a database or jump host). */
  readonly hosts: readonly string[];
  readonly cause: CauseId;
  /** The diagnosis when failing: title, evidence, advice. */
  readonly detail: Cause | undefined;
  /** Failing hosts folded into a database incident (the hosts a jump host hides), with what each shows. */
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
/** A jump host (bastion) has one incident: its outage, which leaves every host behind it unknown. */
export const jumpKey = (jump: string): IncidentKey => incidentKey({ kind: 'jump', name: jump, cause: 'bastion-unreachable' });

const jumpSubject = (jump: string): string => `jump host ${jump}`;

/**
 * Pure: this cycle's reports → one observation per incident key, with inhibition and grouping
 * applied. A jump host that cannot be reached is one incident (`jump:NAME|bastion-unreachable`)
 * listing the hosts behind it, which are unknown meanwhile; it resolves when a host behind it is
 * checked through it again (the bastion answered, whatever that host's own state). `known` are
 * keys already tracked: those not failing now become 'ok' (or 'unknown' when the host's state
 * cannot be seen) so incidents can resolve.
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
  // Hosts behind a jump host that is down: nothing is known of them, not even whether they answer.
  const hiddenHosts = new Set<string>();
  const answeredJumps = new Set<string>();
  const jumpFailures = new Map<string, { hosts: string[]; detail: Cause }>();

  for (const r of reports) {
    const host = hosts.find((h) => h.name === r.name);
    checkedHosts.add(r.name);
    const alerting = r.causes.filter((c) => c.severity === 'critical' || w.alertWarnings.includes(c.id));
    // The bastion down hides the host entirely: its own incidents neither open nor resolve.
    const jump = host?.ssh?.jump?.name;
    const bastionDown = alerting.find((c) => c.id === 'bastion-unreachable');
    if (jump && bastionDown) {
      hiddenHosts.add(r.name);
      const g = jumpFailures.get(jump) ?? { hosts: [], detail: bastionDown };
      g.hosts.push(r.name);
      jumpFailures.set(jump, g);
      continue;
    }
    if (jump) answeredJumps.add(jump);
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
  for (const [jump, g] of jumpFailures) {
    const key = jumpKey(jump);
    const n = g.hosts.length;
    // Numbers only in the title: a change in how many hosts it hides is not a new cause (incident-policy blanks them).
    const detail: Cause = { ...g.detail, title: `bastion unreachable: ${n} host${n === 1 ? '' : 's'} unknown` };
    const affected = g.hosts.map((h) => `${h}: unknown — not checked while ${jumpSubject(jump)} is down`);
    out.set(key, { key, verdict: 'fail', subject: jumpSubject(jump), hosts: g.hosts, cause: 'bastion-unreachable', detail, affected });
  }
  // Tracked keys not failing now: fine if their host (database, jump host) was seen, unknown otherwise.
  for (const key of known) {
    if (out.has(key)) continue;
    const parsed = parseIncidentKey(key);
    if (!parsed) continue;
    const seen =
      parsed.kind === 'host'
        ? checkedHosts.has(parsed.name) && !hiddenHosts.has(parsed.name) && (!unknownHosts.has(parsed.name) || parsed.cause === 'host-unreachable')
        : parsed.kind === 'db'
          ? checkedDbs.has(parsed.name)
          : answeredJumps.has(parsed.name);
    out.set(key, {
      key,
      verdict: seen ? 'ok' : 'unknown',
      subject: parsed.kind === 'host' ? parsed.name : parsed.kind === 'db' ? `db ${parsed.name}` : jumpSubject(parsed.name),
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
