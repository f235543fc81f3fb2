import cron from 'node-cron';
import { CAUSE_IDS } from '../domain/ids.js';
import { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { absPath, duration, envName, fingerprint, noLeadingDash, port, retryInterval, serviceName } from './field-schemas.js';
import { keySourceProblem } from './key-source-problem.js';
import { pagerdutySchema, webhooksSchema } from './paging-schema.js';
import { leaseTtl, storeLocation } from './store-location.js';

/*
 * The YAML shape (a public interface: add fields, never rename). Secrets are not here: the file
 * names environment variables (`passwordEnv`, `privateKeyEnv`) and load-config resolves them.
 * Strict objects everywhere so a typo (`hostkey:`) is an error instead of a silently ignored field.
 */

const sshSchema = z.strictObject({
  host: z.string().min(1),
  port: port.default(22),
  username: z.string().regex(/^[a-z_][a-z0-9_.-]*$/i, 'a Unix user name'),
  privateKeyPath: absPath.optional(),
  privateKeyEnv: envName.optional(),
  /** The variable holding the passphrase of an encrypted privateKeyPath / privateKeyEnv key. */
  privateKeyPassphraseEnv: envName.optional(),
  /** Authenticate with the ssh-agent at SSH_AUTH_SOCK instead of a key of the bot's own. */
  agent: z.boolean().optional(),
  hostKey: fingerprint.optional(),
  /** An OpenSSH known_hosts file instead of hostKey (exactly one of the two): read-known-hosts.ts. */
  knownHostsPath: absPath.optional(),
  readyTimeout: duration.prefault('10s'),
  keepaliveInterval: duration.prefault('5s'),
  maxChannels: z.number().int().min(1).max(10).default(8),
  /** The `jumpHosts` entry (bastion) this host is reached through; `host`/`port` are then as the bastion sees them. */
  jumpHost: z.string().min(1).optional(),
});

const hostName = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and - only (it is what people type in Slack)');

/*
 * A bastion (ProxyJump): one SSH connection, shared by every host that names it in ssh.jumpHost;
 * each of their connections is a forwarding channel of it. Same fields as a host's `ssh:` (one key
 * source, one host key pin), but no jumpHost (no chains). maxChannels bounds the hosts connected
 * through it at once: each holds one channel for as long as its connection lives.
 */
const { jumpHost: _noChains, ...sshFields } = sshSchema.shape;
const jumpHostSchema = z
  .strictObject({
    name: hostName,
    ...sshFields,
    maxChannels: z.number().int().min(1).max(1000).default(10),
  })
  .check(
    z.refine((j) => !isPinless(j), {
      when: () => true,
      path: ['hostKey'],
      message: "required (or knownHostsPath) — the bastion's key is pinned like a host's",
    }),
    z.refine((j) => !isDoublePinned(j), {
      when: () => true,
      path: ['knownHostsPath'],
      message: 'give exactly one of hostKey or knownHostsPath, not both — remove one of them',
    }),
  );
const pinFields = (j: unknown) => (j && typeof j === 'object' ? (j as { hostKey?: unknown; knownHostsPath?: unknown }) : undefined);
const isPinless = (j: unknown) => pinFields(j) !== undefined && pinFields(j)?.hostKey === undefined && pinFields(j)?.knownHostsPath === undefined;
const isDoublePinned = (j: unknown) => pinFields(j)?.hostKey !== undefined && pinFields(j)?.knownHostsPath !== undefined;

const appSchema = z.strictObject({
  healthUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:5070/health'),
  port: port.default(5070),
  service: serviceName.default('moneymind'),
  manager: z.enum(['systemd', 'supervisor']).default('systemd'),
  /** supervisorctl -c PATH, when supervisord's config is not the default one. */
  supervisorConfig: absPath.optional(),
  logFile: absPath.default('/var/log/moneymind.log'),
  processMatch: z
    .string()
    .min(1)
    .max(200)
    .refine(...noLeadingDash("a plain substring of the app's command line"))
    .default('moneymind'),
  poolRecycle: z.number().int().min(1).default(3600),
});

const mysqlSchema = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(3306),
  user: z.string().min(1).max(80),
  passwordEnv: envName,
  connectTimeout: duration.prefault('5s'),
  /**
   * Names the database server; hosts giving the same name share it, so its outage is one incident
   * (one alert thread) instead of one per host. Default: the host's own name.
   */
  name: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and - only')
    .optional(),
});

/*
 * Exactly one way to pin the host key: hostKey or knownHostsPath. Checked even when other fields
 * failed (`when`), so a missing pin is listed in the same round as, say, a missing username.
 */
const pinOf = (host: unknown) => {
  const h = host as { transport?: unknown; ssh?: { hostKey?: unknown; knownHostsPath?: unknown } } | null;
  const ssh = h && typeof h === 'object' && h.transport !== 'local' && typeof h.ssh === 'object' && h.ssh ? h.ssh : undefined;
  return ssh && { hostKey: ssh.hostKey !== undefined, knownHostsPath: ssh.knownHostsPath !== undefined };
};
const always = { when: () => true };
const hostKeyPin = [
  z.refine((h) => pinOf(h)?.hostKey !== false || pinOf(h)?.knownHostsPath !== false, { ...always, path: ['ssh', 'hostKey'], message: 'required' }),
  z.refine((h) => !(pinOf(h)?.hostKey && pinOf(h)?.knownHostsPath), {
    ...always,
    path: ['ssh', 'knownHostsPath'],
    message: 'give exactly one of hostKey or knownHostsPath, not both — remove one of them',
  }),
];

export const hostSchema = z
  .strictObject({
    name: hostName,
    transport: z.enum(['ssh', 'local']).default('ssh'),
    ssh: sshSchema.optional(),
    app: appSchema.default(appSchema.parse({})),
    mysql: mysqlSchema.optional(),
  })
  .check(...hostKeyPin);

const thresholdsSchema = z.strictObject({
  diskUsedPercent: z.number().min(1).max(100).default(90),
  memAvailablePercent: z.number().min(0).max(100).default(10),
  swapUsedPercent: z.number().min(0).max(100).default(50),
  loadPerCore: z.number().positive().default(2),
  dbConnectionsPercent: z.number().min(1).max(100).default(85),
  healthTimeout: duration.prefault('5s'),
  healthSlow: duration.prefault('2s'),
  commandTimeout: duration.prefault('10s'),
  logWindow: duration.prefault('15m'),
  logTailLines: z.number().int().min(100).max(100_000).default(5000),
  maxOutputBytes: z
    .number()
    .int()
    .min(4096)
    .default(4 * 1024 * 1024),
  memoryGrowthMbPerHour: z.number().positive().default(50),
  memoryGrowthWindow: duration.prefault('30m'),
  /** Waitress' queue depth only rising for this long means its threads are stuck (workers-hung). */
  workersHungAfter: duration.prefault('3m'),
});

const slackId = z.string().regex(/^[A-Z0-9]{5,20}$/, 'a Slack ID like C0123ABCD or U0123ABCD');
const slackSchema = z.strictObject({
  alertChannel: slackId.optional(),
  commandChannels: z.array(slackId).default([]),
  approvers: z.array(slackId).default([]),
  /** Slack user groups (S…) whose members may also confirm restarts; needs the usergroups:read scope. */
  approverGroups: z.array(slackId).default([]),
  /** Who may [Acknowledge] an alert (user IDs); empty = any channel member. */
  responders: z.array(slackId).default([]),
  /** Mentioned when an alert goes unacknowledged for watch.escalateAfter: users (U…) or user groups (S…). */
  oncall: z.array(slackId).default([]),
  /**
   * Per Slack user: at most `max` expensive commands (report, status of all hosts) in any `window`.
   * Each opens SSH channels on every host it checks, the same channels the watcher needs, so one
   * person repeating them must not crowd the watcher out. `max: 0` turns the limit off.
   */
  rateLimit: z
    .strictObject({
      max: z.number().int().min(0).max(1000).default(4),
      window: duration.refine((ms) => ms >= 1000, 'at least 1s — write e.g. 1m').prefault('1m'),
    })
    .prefault({}),
});

const cronExpression = z.string().refine((s) => cron.validate(s), 'a cron expression like "* * * * *" (five fields, or six with seconds first)');
const watchSchema = z.strictObject({
  /** The runbook's monitor ran every 60 s; a seconds field is allowed (tests run every second). */
  schedule: cronExpression.default('* * * * *'),
  failuresToAlert: z.number().int().min(1).max(100).default(2),
  /**
   * Nagios' retry_interval: a host whose cycle found a failure not yet alerted is re-checked this
   * often, apart from the schedule, until it alerts or recovers. `off` waits for the schedule.
   */
  retryInterval: retryInterval.prefault('10s'),
  successesToResolve: z.number().int().min(1).max(100).default(2),
  remindEvery: duration.prefault('30m'),
  /** Reminders while acknowledged; off = none. */
  remindAcknowledgedEvery: retryInterval.prefault('off'),
  /** Unacknowledged this long after opening → one reply mentioning slack.oncall; off = never. */
  escalateAfter: retryInterval.prefault('off'),
  /** Escalate again every escalateAfter while it stays unacknowledged (false: once per incident). */
  escalateRepeat: z.boolean().default(false),
  /** Percent state change over the last 21 cycles (Nagios' flap detection). */
  flapHigh: z.number().min(1).max(100).default(50),
  flapLow: z.number().min(0).max(100).default(25),
  /** Warnings that still open an alert; every critical cause does. */
  alertWarnings: z.array(z.enum(CAUSE_IDS)).default(['memory-growth', 'disk-full', 'db-connections-exhausted']),
  /** Hosts checked at once, by the watcher and by `status all`: each holds one SSH connection. */
  concurrency: z.number().int().min(1).max(64).default(64),
  /** Incidents, silences, samples, pending posts: a SQLite file, or mysql://USER@HOST:PORT/DB for replicas (store-location.ts). */
  store: storeLocation.default('./data/moneymind.db'),
  /** The variable holding the mysql:// store's password (required for one). */
  storePasswordEnv: envName.optional(),
  leaseTtl,
});

const restartSchema = z.strictObject({
  /** The two-person rule: whoever asked cannot also confirm. */
  requireSecondPerson: z.boolean().default(false),
  confirmTimeout: duration.prefault('5m'),
  verifyTimeout: duration.prefault('60s'),
  /** How long the restart command itself may take on the host. */
  commandTimeout: duration.prefault('60s'),
  /** Monit's "N restarts within M cycles": beyond it the bot refuses and says when to try again. */
  maxPerHour: z.number().int().min(1).max(60).default(3),
  /** Everything but the restart command itself: for trying the bot safely. */
  dryRun: z.boolean().default(false),
});

/*
 * `defaults:` is merged under every host before the hosts are validated (apply-defaults.ts), so
 * here each field is optional. What names one host (its name, address, host key) is refused.
 */
const notADefault = (field: string) => z.never({ error: `cannot be a default: it names one host — give each host its own ${field}` }).optional();
export const defaultsSchema = z.strictObject({
  name: notADefault('name'),
  ssh: sshSchema
    .partial()
    .extend({ host: notADefault('ssh.host'), hostKey: notADefault('ssh.hostKey') })
    .optional(),
  app: appSchema.partial().optional(),
  mysql: mysqlSchema.partial().optional(),
});

export const fileSchema = z
  .strictObject({
    defaults: defaultsSchema.optional(),
    jumpHosts: z.array(jumpHostSchema).default([]),
    hosts: z.array(hostSchema).min(1, 'at least one host is needed'),
    thresholds: thresholdsSchema.default(thresholdsSchema.parse({})),
    slack: slackSchema.default(slackSchema.parse({})),
    watch: watchSchema.default(watchSchema.parse({})),
    restart: restartSchema.default(restartSchema.parse({})),
    /** Paging besides Slack (paging-schema.ts): PagerDuty Events API v2, signed webhooks. */
    pagerduty: pagerdutySchema.optional(),
    webhooks: webhooksSchema,
  })
  .superRefine((cfg, ctx) => {
    if (cfg.watch.flapLow >= cfg.watch.flapHigh)
      ctx.addIssue({ code: 'custom', path: ['watch', 'flapLow'], message: `must be below flapHigh (${cfg.watch.flapHigh})` });
    const jumps = cfg.jumpHosts.map((j) => j.name);
    cfg.jumpHosts.forEach((j, i) => {
      if (jumps.indexOf(j.name) !== i)
        ctx.addIssue({ code: 'custom', path: ['jumpHosts', i, 'name'], message: `"${j.name}" is used twice — jump host names must be unique` });
      const keys = keySourceProblem(j);
      if (keys) ctx.addIssue({ code: 'custom', path: ['jumpHosts', i, keys.field], message: keys.message });
    });
    const seen = new Set<string>();
    cfg.hosts.forEach((h, i) => {
      if (seen.has(h.name)) ctx.addIssue({ code: 'custom', path: ['hosts', i, 'name'], message: `"${h.name}" is used twice — host names must be unique` });
      seen.add(h.name);
      if (h.transport === 'ssh') {
        if (!h.ssh) ctx.addIssue({ code: 'custom', path: ['hosts', i, 'ssh'], message: 'required when transport is ssh' });
        else {
          const keys = keySourceProblem(h.ssh);
          if (keys) ctx.addIssue({ code: 'custom', path: ['hosts', i, 'ssh', keys.field], message: keys.message });
          const jump = h.ssh.jumpHost;
          if (jump !== undefined && !jumps.includes(jump))
            ctx.addIssue({ code: 'custom', path: ['hosts', i, 'ssh', 'jumpHost'], message: unknownJump(jump, jumps) });
        }
      }
    });
  });

/** `ssh.jumpHost` names no `jumpHosts` entry: say which names there are, and the likely one. */
function unknownJump(name: string, known: readonly string[]): string {
  if (!known.length) return `"${name}" is not a jumpHosts entry, and there are none — add it under jumpHosts: (name, host, username, key, hostKey)`;
  const guess = didYouMean(name, known);
  return `"${name}" is not a jumpHosts entry${guess ? ` — did you mean "${guess}"?` : ''} (the jump hosts are ${known.join(', ')})`;
}

export type FileConfig = z.output<typeof fileSchema>;
export type FileJumpHost = z.output<typeof jumpHostSchema>;
export type FileHost = z.output<typeof hostSchema>;
