import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { OpsError, withFix } from '../errors.js';
import { fixFor, formatPath } from './fix-hints.js';
import { fileSchema, type FileConfig, type FileHost } from './schema.js';
import { Secret } from './secret.js';
import type { Config, HostConfig } from './types.js';
import { defaultConfigDocument } from './default-config.js';

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
  if (!parsed.success) throw configError(source, parsed.error.issues.map(describeIssue));

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

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new OpsError('CONFIG', `cannot read config file ${file} (${code ?? 'error'})`, {
      fix: 'pass --config PATH or set MONEYMIND_CONFIG to an existing file',
      cause: err,
    });
  }
  try {
    return parseYaml(text);
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}` : '';
    throw new OpsError('CONFIG', `${file} is not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const missing = issue.code === 'invalid_type' && (issue as { input?: unknown }).input === undefined;
  const what = missing ? 'required' : issue.message;
  const fix = fixFor(path);
  return withFix(`${path || '(top level)'}: ${what}`, fix);
}

function resolveHost(h: FileHost, i: number, env: Env, problems: string[]): HostConfig {
  const at = `hosts[${i}]`;
  const secretFrom = (field: string, name: string): Secret => {
    const value = env[name];
    if (value === undefined || value === '') problems.push(`${at}.${field}: environment variable ${name} is not set — export it before starting the bot`);
    return new Secret(value ?? '');
  };
  let ssh: HostConfig['ssh'];
  if (h.transport === 'ssh' && h.ssh) {
    const { privateKeyPath, privateKeyEnv, ...rest } = h.ssh;
    let privateKey = new Secret('');
    if (privateKeyEnv) privateKey = secretFrom('ssh.privateKeyEnv', privateKeyEnv);
    else if (privateKeyPath) {
      try {
        privateKey = new Secret(readFileSync(privateKeyPath, 'utf8'));
      } catch (err) {
        problems.push(
          `${at}.ssh.privateKeyPath: cannot read ${privateKeyPath} (${(err as NodeJS.ErrnoException).code ?? 'error'}) ` +
            `— check the path and that the bot's user may read it`,
        );
      }
    }
    // Parse the key now so a wrong file is a start-up error naming the field, not a failed check later.
    const parsed = privateKey.reveal() ? ssh2.utils.parseKey(privateKey.reveal()) : undefined;
    if (parsed instanceof Error)
      problems.push(
        `${at}.ssh.${privateKeyEnv ? 'privateKeyEnv' : 'privateKeyPath'}: not a private key the bot can use ` +
          `(${parsed.message}) — give an unencrypted OpenSSH or PEM key`,
      );
    ssh = { ...rest, privateKey };
  }
  const mysql = h.mysql
    ? {
        host: h.mysql.host,
        port: h.mysql.port,
        user: h.mysql.user,
        connectTimeout: h.mysql.connectTimeout,
        password: secretFrom('mysql.passwordEnv', h.mysql.passwordEnv),
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
  const list = problems.map((p) => `  - ${p}`).join('\n');
  return new OpsError('CONFIG', `config ${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${list}`);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !(value instanceof Secret) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export type { FileConfig };
