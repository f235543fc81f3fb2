import type { CauseId } from '../domain/ids.js';
import type { Secret } from './secret.js';

/*
 * The resolved configuration: what the YAML says, with defaults filled in, durations in
 * milliseconds and secrets read from the environment. Built once by loadConfig and frozen.
 */

export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** Empty when `agent` is set. */
  readonly privateKey: Secret;
  /** The passphrase of an encrypted privateKey (ssh.privateKeyPassphraseEnv). */
  readonly passphrase?: Secret | undefined;
  /** ssh.agent: true → the ssh-agent socket (SSH_AUTH_SOCK) to authenticate through instead of privateKey. */
  readonly agent?: string | undefined;
  /** "SHA256:…" as `ssh-keygen -lf` prints it. Exactly one of hostKey and knownHosts is set. */
  readonly hostKey: string | undefined;
  /** From `ssh.knownHostsPath`: the keys that file lists for this host, read at load. */
  readonly knownHosts?: KnownHostsPin;
  readonly readyTimeout: number;
  readonly keepaliveInterval: number;
  readonly maxChannels: number;
  /** ssh.jumpHost: the bastion this host is reached through (`host`/`port` are as it sees them). */
  readonly jump?: JumpHostConfig | undefined;
}

/**
 * A `jumpHosts` entry: one SSH connection shared by every host naming it, each of their
 * connections a forwarding channel of it (at most `maxChannels` at once). It has no jump of its own.
 */
export interface JumpHostConfig extends SshTarget {
  readonly name: string;
  readonly jump?: undefined;
}

/** The keys a known_hosts file lists for one host (`name`: `[host]:port`, or the host alone on port 22). */
export interface KnownHostsPin {
  readonly path: string;
  readonly name: string;
  readonly keys: readonly KnownHostKey[];
  /** @revoked lines: refused even where another line lists the same key. */
  readonly revoked: readonly KnownHostKey[];
}

export interface KnownHostKey {
  readonly type: string;
  /** The public key blob, base64. */
  readonly key: string;
  /** Its line in the file, for messages. */
  readonly line: number;
}

export interface AppTarget {
  readonly healthUrl: string;
  readonly port: number;
  readonly service: string;
  readonly manager: 'systemd' | 'supervisor';
  readonly supervisorConfig: string | undefined;
  readonly logFile: string;
  readonly processMatch: string;
  readonly poolRecycle: number;
}

export interface MysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: Secret;
  readonly connectTimeout: number;
}

export interface HostConfig {
  readonly name: string;
  readonly transport: 'ssh' | 'local';
  readonly ssh: SshTarget | undefined;
  readonly app: AppTarget;
  readonly mysql: MysqlTarget | undefined;
  /** The database server's name (mysql.name, else the host's): hosts sharing it share one outage incident. */
  readonly dbName: string | undefined;
}

export interface Thresholds {
  readonly diskUsedPercent: number;
  readonly memAvailablePercent: number;
  readonly swapUsedPercent: number;
  readonly loadPerCore: number;
  readonly dbConnectionsPercent: number;
  /** All durations in milliseconds. */
  readonly healthTimeout: number;
  readonly healthSlow: number;
  readonly commandTimeout: number;
  readonly logWindow: number;
  readonly logTailLines: number;
  readonly maxOutputBytes: number;
  readonly memoryGrowthMbPerHour: number;
  readonly memoryGrowthWindow: number;
  readonly workersHungAfter: number;
}

/** The config file's `slack:` section (the tokens and the mode come from the environment: SlackSettings). */
export interface SlackConfig {
  readonly alertChannel: string | undefined;
  readonly commandChannels: readonly string[];
  readonly approvers: readonly string[];
  readonly approverGroups: readonly string[];
  /** Who may acknowledge alerts; empty = anyone in the channel. */
  readonly responders: readonly string[];
  /** Users (U…) and user groups (S…) an escalation mentions. */
  readonly oncall: readonly string[];
  /** Expensive commands (report, status of all hosts) per Slack user: `max` per `windowMs`; max 0 = no limit. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
}

export interface WatchSettings {
  readonly schedule: string;
  readonly failuresToAlert: number;
  /** Milliseconds between fast re-checks of a host with a pending failure; 0 = off. */
  readonly retryInterval: number;
  readonly successesToResolve: number;
  /** Milliseconds. */
  readonly remindEvery: number;
  /** Milliseconds between reminders while acknowledged; 0 = none. */
  readonly remindAcknowledgedEvery: number;
  /** Milliseconds unacknowledged before an escalation; 0 = never. */
  readonly escalateAfter: number;
  /** Escalate again every escalateAfter while unacknowledged; false = once per incident. */
  readonly escalateRepeat: boolean;
  readonly flapHigh: number;
  readonly flapLow: number;
  readonly alertWarnings: readonly CauseId[];
  readonly concurrency: number;
  /** A SQLite file path, or a mysql:// URL (then storeMysql is set). */
  readonly store: string;
  readonly storePasswordEnv?: string | undefined;
  /** Resolved from a mysql:// store: where, as whom, and the password from watch.storePasswordEnv. */
  readonly storeMysql?: StoreMysqlTarget | undefined;
  /** Milliseconds the watch lease lasts unrenewed (watch.leaseTtl). */
  readonly leaseTtl: number;
}

/** `watch.store: mysql://USER@HOST:PORT/DB`: the bot's own database on MySQL or MariaDB. */
export interface StoreMysqlTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** The URL as given, never with a password: for messages. */
  readonly url: string;
  readonly password: Secret;
  readonly passwordEnv: string;
}

export interface RestartSettings {
  readonly requireSecondPerson: boolean;
  /** Milliseconds. */
  readonly confirmTimeout: number;
  readonly verifyTimeout: number;
  readonly commandTimeout: number;
  readonly maxPerHour: number;
  readonly dryRun: boolean;
}

/**
 * A paging target: PagerDuty's Events API v2 (`pagerduty.routingKeyEnv`; PAGERDUTY_EVENTS_URL may
 * point elsewhere) or a signed JSON webhook (`webhooks[]`). `id` names it in the store (stable
 * while its URL is), `label` in logs (never the URL: a webhook's path may be its only secret).
 */
export type PageTarget =
  | { readonly kind: 'pagerduty'; readonly id: string; readonly label: string; readonly url: string; readonly routingKey: Secret }
  | { readonly kind: 'webhook'; readonly id: string; readonly label: string; readonly url: string; readonly secret: Secret };

export interface Config {
  readonly hosts: readonly HostConfig[];
  /** The bastions (`jumpHosts:`); hosts behind one carry it as `ssh.jump`. */
  readonly jumpHosts: readonly JumpHostConfig[];
  readonly thresholds: Thresholds;
  readonly slack: SlackConfig;
  readonly watch: WatchSettings;
  readonly restart: RestartSettings;
  /** Where incidents are paged besides Slack (`pagerduty:`, `webhooks:`); empty = Slack only. */
  readonly paging: readonly PageTarget[];
  /** Where the config came from, for messages: a file path or "built-in defaults". */
  readonly source: string;
}
