import { isIP } from 'node:net';
import { OpsError } from '../errors.js';
import type { Env } from './load-config.js';
import { Secret } from './secret.js';
import type { SlackSettings } from './slack-settings.js';

/**
 * Where /healthz and /metrics are served, from the environment (read once at start).
 * Socket Mode: a server of their own on METRICS_HOST:METRICS_PORT, this machine only by default —
 * nothing else needs to reach the bot. HTTP mode: beside /slack/events on PORT, which Slack must
 * reach, so it is public; METRICS_HOST would not make it private and is refused there.
 * METRICS_TOKEN, when set, is required (as a bearer token) by /metrics in either mode.
 */
export interface OpsSettings {
  /** Socket Mode only. */
  readonly host: string;
  readonly port: number;
  readonly metricsToken: Secret | undefined;
}

const TOKEN = /^[\x21-\x7e]{16,512}$/;
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/;

export function loadOpsSettings(env: Env, mode: Exclude<SlackSettings['mode'], 'none'>): OpsSettings {
  const problems: string[] = [];
  const port = Number(env.METRICS_PORT ?? 9102);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`METRICS_PORT=${env.METRICS_PORT} is not a port number — export METRICS_PORT=9102`);
  const host = env.METRICS_HOST || '127.0.0.1';
  if (env.METRICS_HOST && mode === 'http')
    problems.push(
      'METRICS_HOST is set, but in HTTP mode /healthz and /metrics are served on PORT beside /slack/events, ' +
        'which Slack must reach — unset METRICS_HOST and set METRICS_TOKEN to protect /metrics',
    );
  else if (!isIP(host) && !HOSTNAME.test(host))
    problems.push(
      `METRICS_HOST=${host.slice(0, 60)} is not an address to listen on — export METRICS_HOST=127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`,
    );
  const token = env.METRICS_TOKEN;
  // Length and characters only; the value is never echoed.
  if (token !== undefined && !TOKEN.test(token))
    problems.push('METRICS_TOKEN must be 16 to 512 printable characters without spaces — export METRICS_TOKEN="$(openssl rand -hex 32)"');
  if (problems.length === 1) throw new OpsError('CONFIG', problems[0]!);
  if (problems.length) throw new OpsError('CONFIG', `the environment has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return { host, port, metricsToken: token === undefined ? undefined : new Secret(token) };
}
