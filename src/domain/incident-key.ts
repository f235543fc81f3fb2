import type { CauseId } from './ids.js';

/**
 * One incident: a cause on one host, a shared database's outage (every host configured with
 * that `mysql.name`), or a jump host's (every host configured with that `ssh.jumpHost`). The
 * watcher keys its trackers by it, the store its incidents, and the alert's [Silence 1h] button
 * carries it.
 */
export interface IncidentRef {
  readonly kind: 'host' | 'db' | 'jump';
  /** A host, database or jump host name: [a-z0-9-], at most 40 characters (config/schema.ts). */
  readonly name: string;
  readonly cause: CauseId;
}

/**
 * The key as text: `host:NAME|cause`, `db:NAME|db-unreachable` or `jump:NAME|bastion-unreachable`. The text is what the store
 * already holds and what alerts already posted carry, so it cannot change; the type says it is
 * one of these, made here and read back here only.
 */
export type IncidentKey = `host:${string}|${CauseId}` | `db:${string}|${CauseId}` | `jump:${string}|${CauseId}`;

export function incidentKey(ref: IncidentRef): IncidentKey {
  return `${ref.kind}:${ref.name}|${ref.cause}`;
}

const KEY = /^(host|db|jump):([a-z0-9-]+)\|([a-z-]+)$/;

/**
 * A key read back from the store or from a button's value; undefined when it is not one. The
 * cause is taken as written: cause ids are never renamed, and only the bot writes keys.
 */
export function parseIncidentKey(text: string): IncidentRef | undefined {
  const m = KEY.exec(text);
  return m ? { kind: m[1] as IncidentRef['kind'], name: m[2]!, cause: m[3] as CauseId } : undefined;
}
