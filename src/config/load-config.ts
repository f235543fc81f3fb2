import type { z } from 'zod';
import { OpsError } from '../errors.js';
import { applyDefaults } from './apply-defaults.js';
import { checkRawSecrets } from './check-raw-secrets.js';
import { defaultConfigDocument } from './default-config.js';
import { describeIssue } from './describe-issue.js';
import { formatPath } from './fix-hints.js';
import { readAgentSocket } from './read-agent-socket.js';
import { readEnvSecret } from './read-env-secret.js';
import { readKnownHosts } from './read-known-hosts.js';
import { type KeyCache, readSshKey } from './read-ssh-key.js';
import { readYaml } from './read-yaml.js';
import { checkRawPagingSecrets, resolvePaging } from './resolve-paging.js';
import { type FileConfig, type FileHost, type FileJumpHost, fileSchema } from './schema.js';
import { Secret } from './secret.js';
import { resolveStoreMysql } from './store-location.js';
import type { Config, HostConfig, JumpHostConfig } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;
/** A field's path for messages: ["hosts", 3, "ssh", "port"] → "hosts[3].ssh.port", or "defaults.ssh.port" where it came from. */
export type FieldName = (path: readonly PropertyKey[]) => string;

/**
 * Reads the config once, at start: YAML file (or the built-in single `local` host when `file` is
 * undefined) plus secrets from `env`. Throws one OpsError('CONFIG') listing every problem with
 * its path and, where known, the fix. The result is deeply frozen.
 */
export function loadConfig(env: Env, file: string | undefined): Config {
  if (file === undefined) return resolveConfig(defaultConfigDocument(), env, 'built-in defaults (one local host)');
  return resolveConfig(readYaml(file), env, file);
}

/**
 * A config document already parsed (what the YAML file holds, as plain data) plus secrets from
 * `env` → the frozen `Config`, with the same validation and errors as `loadConfig`; `source` names
 * the document in them. Tests build configs with it without a file.
 */
export function resolveConfig(doc: unknown, env: Env, source = 'the config document'): Config {
  // `defaults:` goes under every host first; a bad value a host took from there is named at defaults.
  const { doc: merged, origin } = applyDefaults(doc);
  const name: FieldName = (path) => formatPath(origin(path));
  const parsed = fileSchema.safeParse(merged, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => blameDefaults(issue, origin).flatMap((i) => describeIssue(i, fileSchema)));
    // The secrets whose own fields are valid are looked up in the same round, so one error lists all.
    checkRawSecrets(merged, env, problems, name);
    checkRawPagingSecrets(merged, env, problems);
    throw configError(source, problems);
  }
  const problems: string[] = [];
  const keys: KeyCache = new Map();
  const jumpHosts = parsed.data.jumpHosts.map((j, i) => resolveJumpHost(j, i, env, problems, keys));
  const hosts = parsed.data.hosts.map((h, i) => resolveHost(h, i, env, problems, name, keys, jumpHosts));
  const paging = resolvePaging(parsed.data, env, problems);
  const storeMysql = resolveStoreMysql(parsed.data.watch, env, problems);
  if (problems.length) throw configError(source, problems);
  const { slack } = parsed.data;
  return deepFreeze({
    hosts,
    jumpHosts,
    thresholds: parsed.data.thresholds,
    slack: {
      alertChannel: slack.alertChannel,
      commandChannels: slack.commandChannels,
      approvers: slack.approvers,
      approverGroups: slack.approverGroups,
      responders: slack.responders,
      oncall: slack.oncall,
      rateLimit: { max: slack.rateLimit.max, windowMs: slack.rateLimit.window },
    },
    watch: { ...parsed.data.watch, storeMysql },
    restart: parsed.data.restart,
    paging,
    source,
  } satisfies Config);
}

/** A `jumpHosts` entry with its key read and its host key pin resolved, like a host's `ssh:`. */
function resolveJumpHost(j: FileJumpHost, i: number, env: Env, problems: string[], keys: KeyCache): JumpHostConfig {
  const field = (f: string) => formatPath(['jumpHosts', i, f]);
  const { privateKeyPath, privateKeyEnv, privateKeyPassphraseEnv, agent, knownHostsPath, hostKey, ...rest } = j;
  const knownHosts = knownHostsPath ? readKnownHosts(knownHostsPath, rest.host, rest.port, field('knownHostsPath'), problems) : undefined;
  const key = agent
    ? { privateKey: new Secret(''), agent: readAgentSocket(field('agent'), env, problems) }
    : readSshKey({ privateKeyPath, privateKeyEnv, privateKeyPassphraseEnv }, field, env, problems, keys);
  return { ...rest, ...key, hostKey, knownHosts };
}

function resolveHost(h: FileHost, i: number, env: Env, problems: string[], name: FieldName, keys: KeyCache, jumpHosts: readonly JumpHostConfig[]): HostConfig {
  const field = (...path: string[]) => name(['hosts', i, ...path]);
  let ssh: HostConfig['ssh'];
  if (h.transport === 'ssh' && h.ssh) {
    const { privateKeyPath, privateKeyEnv, privateKeyPassphraseEnv, agent, knownHostsPath, hostKey, jumpHost, ...rest } = h.ssh;
    const knownHosts = knownHostsPath ? readKnownHosts(knownHostsPath, rest.host, rest.port, field('ssh', 'knownHostsPath'), problems) : undefined;
    const key = agent
      ? { privateKey: new Secret(''), agent: readAgentSocket(field('ssh', 'agent'), env, problems) }
      : readSshKey({ privateKeyPath, privateKeyEnv, privateKeyPassphraseEnv }, (f) => field('ssh', f), env, problems, keys);
    // The schema made sure the name is a jumpHosts entry.
    const jump = jumpHost === undefined ? undefined : jumpHosts.find((j) => j.name === jumpHost);
    ssh = { ...rest, ...key, hostKey, knownHosts, ...(jump ? { jump } : {}) };
  }
  const mysql = h.mysql
    ? {
        host: h.mysql.host,
        port: h.mysql.port,
        user: h.mysql.user,
        connectTimeout: h.mysql.connectTimeout,
        password: readEnvSecret(field('mysql', 'passwordEnv'), h.mysql.passwordEnv, env, problems),
      }
    : undefined;
  return {
    name: h.name,
    transport: h.transport,
    ssh,
    app: { ...h.app, supervisorConfig: h.app.supervisorConfig },
    mysql,
    dbName: h.mysql ? (h.mysql.name ?? h.name) : undefined,
  };
}

/**
 * A zod issue on the merged document, named where the value was written: a host's own path, or
 * `defaults.` for what it took from there (each unknown key on its own, as they may differ).
 */
function blameDefaults(issue: z.core.$ZodIssue, origin: (path: readonly PropertyKey[]) => PropertyKey[]): z.core.$ZodIssue[] {
  if (issue.code !== 'unrecognized_keys') return [{ ...issue, path: origin(issue.path) }];
  return issue.keys.map((key) => ({ ...issue, path: origin([...issue.path, key]).slice(0, -1), keys: [key] }));
}

function configError(source: string, all: string[]): OpsError {
  // A bad default is found once per host that took it: name it once.
  const problems = [...new Set(all)];
  const list = byHost(problems)
    .map((p) => `  - ${p}`)
    .join('\n');
  return new OpsError('CONFIG', `config ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list}`);
}

// Schema problems come in schema order and secret problems after them: put each host's together,
// after the defaults' own.
function byHost(problems: string[]): string[] {
  const host = (p: string) => (p.startsWith('defaults') ? -1 : Number(/^hosts\[(\d+)\]/.exec(p)?.[1] ?? Number.POSITIVE_INFINITY));
  return [...problems].sort((a, b) => host(a) - host(b));
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Secret) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export type { FileConfig };
