import type { CheckId } from '../checks/check-types.js';
import type { Config, HostConfig } from '../config/types.js';
import type { HostReport } from '../engine/host-report.js';
import type { SupportBundle } from '../report/format-bundle.js';
import type { AckOutcome, IncidentRow, Silence } from '../store/watch-store.js';
import type { RestartRequest } from '../restart/restart-service.js';
import type { RestartRow } from '../store/restart-types.js';
import type { DoctorHost } from '../doctor/doctor-types.js';
import type { WatchLeader } from '../domain/watch-leader.js';
import type { Answer } from './answer.js';

/** Who asked: the Slack user (and channel) or the terminal's operator. */
export interface Caller {
  readonly userId: string;
  readonly source: 'slack' | 'terminal';
}

/** What commands may use. main.ts builds the real one; tests pass the real engine on loopback. */
export interface CommandServices {
  readonly config: Config;
  checkHosts(hosts: readonly HostConfig[], ids: readonly CheckId[]): Promise<HostReport[]>;
  /** The last report of a host, and when it was made (epoch ms). */
  lastReport(name: string): { report: HostReport; at: number } | undefined;
  /** The support bundle of one host, with a fresh diagnosis in it. */
  supportBundle(host: HostConfig): Promise<SupportBundle>;
  /** Silences and incident history, from the store; undefined when the bot runs without one. */
  readonly incidents: IncidentServices | undefined;
  /** `doctor`: each host's setup checked against the README's least-privilege section. */
  doctor?(hosts: readonly HostConfig[]): Promise<DoctorHost[]>;
  /**
   * `trend`: the host's stored samples over the window drawn as a PNG, with the numbers in words;
   * undefined when none are stored. Absent when the bot runs without a store.
   */
  trendChart?(host: string, windowMs: number): Promise<TrendImage | undefined>;
  /** Who leads the watcher, when the bot watches (Slack mode with an alert channel). */
  leader?(): WatchLeader | undefined;
  /** Restart requests (Slack only; confirmation happens in the Slack adapter). */
  readonly restarts?: { request(host: HostConfig, by: string): Promise<{ ok: true; request: RestartRequest } | { ok: false; why: string }> };
}

export interface TrendImage {
  readonly png: Uint8Array;
  /** "prod-1: app RSS 212 → 338 MB over 6 h, +21 MB/h (72 samples)". */
  readonly altText: string;
}

export interface IncidentServices {
  silence(host: string, durationMs: number, reason: string, by: string): Promise<Silence>;
  unsilence(host: string): Promise<boolean>;
  /** Active silences, by host. */
  silences(): Promise<ReadonlyMap<string, Silence>>;
  history(host: string | undefined, limit: number): Promise<readonly IncidentRow[]>;
  /** Restart requests, newest first, for history. */
  restarts(host: string | undefined, limit: number): Promise<readonly RestartRow[]>;
  /** The alert thread of an open incident involving the host: where a restart request goes. */
  openThread(host: string): Promise<{ channel: string; ts: string } | undefined>;
  /** [Acknowledge] (true) or [Unacknowledge] (false) on an alert, by its incident key. */
  acknowledge?(key: string, by: string, acknowledged: boolean): Promise<AckOutcome>;
}

/**
 * A parsed, validated request, ready to run; `progress` is what to show while it runs. `kind`
 * tells it from an `Answer` (whose kinds are the answers'): the router returns `Plan | Answer`.
 */
export interface Plan {
  readonly kind: 'plan';
  readonly progress: string;
  /** Touches no host (reads what the bot already knows): an adapter may answer in its ack. */
  readonly immediate?: boolean;
  /**
   * Opens SSH channels on every host it touches, many hosts or many commands at once (report, the
   * status of all hosts): counted against slack.rateLimit, so one person cannot crowd out the watcher.
   */
  readonly expensive?: boolean;
  run(services: CommandServices, caller: Caller): Promise<Answer>;
}

/**
 * One subcommand. Adding `restart`, `silence`, `history` means one new file exporting one of
 * these and a line in the registry.
 */
export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly description: string;
  allowed(caller: Caller, config: Config): boolean;
  /** Validates the arguments against config: returns a Plan or an error Answer. Runs nothing. */
  plan(args: readonly string[], config: Config): Plan | Answer;
}
