import { OpsError } from '../errors.js';
import { checkRawSecrets } from './check-raw-secrets.js';
import { defaultConfigDocument } from './default-config.js';
import { describeIssue } from './describe-issue.js';
import { readEnvSecret } from './read-env-secret.js';
import { readSshKey } from './read-ssh-key.js';
import { readYaml } from './read-yaml.js';
import { type FileConfig, type FileHost, fileSchema } from './schema.js';
import { Secret } from './secret.js';
import type { Config, HostConfig } from './types.js';

export type Env = Readonly<Record<string, string | undefined>>;

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
  const parsed = fileSchema.safeParse(doc, { reportInput: true });
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, fileSchema));
    // The secrets whose own fields are valid are looked up in the same round, so one error lists all.
    checkRawSecrets(doc, env, problems);
    throw configError(source, problems);
  }
  const problems: string[] = [];
  const hosts = parsed.data.hosts.map((h, i) => resolveHost(h, i, env, problems));
  if (problems.length) throw configError(source, problems);
  const { slack } = parsed.data;
  return deepFreeze({
    hosts,
    thresholds: parsed.data.thresholds,
    slack: {
      alertChannel: slack.alertChannel,
      commandChannels: slack.commandChannels,
      approvers: slack.approvers,
      approverGroups: slack.approverGroups,
      rateLimit: { max: slack.rateLimit.max, windowMs: slack.rateLimit.window },
    },
    watch: parsed.data.watch,
    restart: parsed.data.restart,
    source,
  } satisfies Config);
}

function resolveHost(h: FileHost, i: number, env: Env, problems: string[]): HostConfig {
  const at = `hosts[${i}]`;
  let ssh: HostConfig['ssh'];
  if (h.transport === 'ssh' && h.ssh) {
    const { privateKeyPath, privateKeyEnv, ...rest } = h.ssh;
    ssh = { ...rest, privateKey: readSshKey({ privateKeyPath, privateKeyEnv }, at, env, problems) };
  }
  const mysql = h.mysql
    ? {
        host: h.mysql.host,
        port: h.mysql.port,
        user: h.mysql.user,
        connectTimeout: h.mysql.connectTimeout,
        password: readEnvSecret(`${at}.mysql.passwordEnv`, h.mysql.passwordEnv, env, problems),
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

function configError(source: string, problems: string[]): OpsError {
  const list = byHost(problems)
    .map((p) => `  - ${p}`)
    .join('\n');
  return new OpsError('CONFIG', `config ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list}`);
}

// Schema problems come in schema order and secret problems after them: put each host's together.
function byHost(problems: string[]): string[] {
  const host = (p: string) => Number(/^hosts\[(\d+)\]/.exec(p)?.[1] ?? Number.POSITIVE_INFINITY);
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
