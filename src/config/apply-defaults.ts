import { KEY_SOURCES } from './key-source-problem.js';

export interface WithDefaults {
  /** The document with `defaults:` merged under each host (the `defaults:` section itself kept for validation). */
  readonly doc: unknown;
  /**
   * Where the value at `path` of `doc` was written: ["hosts", 3, "ssh", "port"] becomes
   * ["defaults", "ssh", "port"] when hosts[3] took its port from `defaults:`, so a bad default is
   * named once, where it can be fixed, instead of once per host.
   */
  readonly origin: (path: readonly PropertyKey[]) => PropertyKey[];
}

type Rec = Record<string, unknown>;

/**
 * Merges the document's `defaults:` (ssh, app, mysql) under every host: a host's own fields win;
 * plain objects merge key by key, arrays and scalars replace. Two exceptions: `ssh` defaults go to
 * ssh hosts only (a `transport: local` host has no use for them), and how the bot authenticates is
 * taken whole: a host that names its own key source (privateKeyPath, privateKeyEnv or agent) takes
 * none of the defaults' key fields, so a host with its own key file does not also "have" the
 * defaults' `agent: true`. The raw document goes in and out: validation comes after.
 */
export function applyDefaults(doc: unknown): WithDefaults {
  const defaults = isRecord(doc) && isRecord(doc.defaults) ? doc.defaults : undefined;
  if (!defaults || !isRecord(doc) || !Array.isArray(doc.hosts)) return { doc, origin: (path) => [...path] };
  const own: unknown[] = doc.hosts;
  const underHost: (Rec | undefined)[] = [];
  const hosts = own.map((host: unknown, i) => {
    if (!isRecord(host)) return host;
    const base = defaultsFor(host, defaults);
    underHost[i] = base;
    return merge(base, host);
  });
  const origin = (path: readonly PropertyKey[]): PropertyKey[] => {
    const [top, i, ...sub] = path;
    const base = top === 'hosts' && typeof i === 'number' ? underHost[i] : undefined;
    const fromDefaults = base && sub.length > 0 && valueAt(own[i as number], sub) === undefined && valueAt(base, sub) !== undefined;
    return fromDefaults ? ['defaults', ...sub] : [...path];
  };
  return { doc: { ...doc, hosts }, origin };
}

/**
 * The part of `defaults:` that applies to `host`. What the schema refuses there (a default name,
 * ssh.host, ssh.hostKey) or does not know is not merged: it is reported at `defaults.` and must
 * not hide a host's own missing field.
 */
function defaultsFor(host: Rec, defaults: Rec): Rec {
  const base: Rec = {};
  for (const section of ['ssh', 'app', 'mysql']) if (defaults[section] !== undefined) base[section] = defaults[section];
  const ssh = isRecord(host.ssh) ? host.ssh : {};
  if (host.transport !== undefined && host.transport !== 'ssh') delete base.ssh;
  else if (isRecord(base.ssh)) {
    const { host: _host, hostKey: _hostKey, ...shared } = base.ssh;
    const ownKey = KEY_SOURCES.some((k) => ssh[k] !== undefined);
    const { privateKeyPath: _p, privateKeyEnv: _e, agent: _a, privateKeyPassphraseEnv: _pp, ...keyless } = shared;
    base.ssh = ownKey ? keyless : shared;
  }
  return base;
}

function merge(base: unknown, own: unknown): unknown {
  if (!isRecord(base) || !isRecord(own)) return own === undefined ? base : own;
  const out: Rec = { ...base };
  for (const [k, v] of Object.entries(own)) out[k] = merge(base[k], v);
  return out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const key of path) {
    if (!isRecord(v) && !Array.isArray(v)) return undefined;
    v = (v as Rec)[String(key)];
  }
  return v;
}

function isRecord(value: unknown): value is Rec {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
