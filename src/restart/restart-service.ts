import { randomBytes } from 'node:crypto';
import { CHECK_IDS } from '../checks/check-types.js';
import { sudoHint } from '../checks/sudo-hint.js';
import { formatDuration } from '../config/duration.js';
import type { Config, HostConfig } from '../config/types.js';
import type { HostReport } from '../engine/host-report.js';
import { OpsError } from '../errors.js';
import type { RunLog } from '../log/run-log.js';
import { utcClock } from '../render/utc-time.js';
import type { HostTransport } from '../remote/host-transport.js';
import type { Telemetry } from '../ops/telemetry.js';
import type { RestartLedger, RestartRow } from '../store/restart-types.js';
import { hostAddress, mayCancel, mayConfirm, restartShellCommand, restartShellCommandText, restartWarnings } from './restart-policy.js';

export interface RestartDeps {
  readonly config: Config;
  readonly ledger: RestartLedger;
  readonly transportFor: (h: HostConfig) => HostTransport;
  readonly checkHosts: (hosts: readonly HostConfig[], ids: readonly (typeof CHECK_IDS)[number][]) => Promise<HostReport[]>;
  readonly log: RunLog;
  readonly clock: () => number;
  /** How often health is polled while verifying. */
  readonly pollMs?: number;
  readonly telemetry?: Telemetry;
  /**
   * Replicas: whether another replica is alive now (it holds the watch lease). Then a running
   * restart may be its, in progress: recovery leaves those younger than the longest a restart can
   * take. Absent or false (a single bot): every running restart at startup is a crashed one.
   */
  readonly othersLive?: () => Promise<boolean>;
}

export interface RestartRequest {
  readonly row: RestartRow;
  readonly host: HostConfig;
  readonly address: string;
  readonly commandText: string;
  readonly report: HostReport | undefined;
  readonly warnings: readonly string[];
  readonly dryRun: boolean;
}

export type Refusal = { readonly ok: false; readonly why: string };

export interface Outcome {
  readonly ok: boolean;
  /** One line for the thread: "✅ healthy again 4.2 s after restart" or "❌ …". */
  readonly summary: string;
  readonly report: HostReport | undefined;
}

/**
 * Restarts that happen only after an approver confirms, exactly once: every transition is the
 * store's (a conditional UPDATE), so double clicks, concurrent approvers, Slack's retries or a bot
 * restart never run the command twice. Everything is audited.
 */
export class RestartService {
  constructor(private readonly d: RestartDeps) {}

  private async audit(row: Pick<RestartRow, 'host'> & { id?: string }, actor: string, event: string, detail: Record<string, unknown> = {}): Promise<void> {
    await this.d.ledger.audit({ at: this.d.clock(), requestId: row.id, host: row.host, actor, event, detail });
    this.d.log.info({ restart: row.id, host: row.host, actor, event, ...detail }, `restart ${event}`);
  }

  async request(host: HostConfig, by: string): Promise<{ ok: true; request: RestartRequest } | Refusal> {
    const now = this.d.clock();
    const r = this.d.config.restart;
    const until = await this.d.ledger.limitedUntil(host.name, now, r.maxPerHour);
    if (until !== undefined) {
      const why =
        `${host.name} was restarted ${r.maxPerHour} times in the last hour (restart.maxPerHour); ` +
        `try again after ${utcClock(until)}, or look at the diagnosis: restarting again is unlikely to help`;
      await this.audit({ host: host.name }, by, 'refused', { why: 'limit' });
      return { ok: false, why };
    }
    const [report] = await this.d.checkHosts([host], CHECK_IDS);
    const row = await this.d.ledger.create({
      id: randomBytes(12).toString('base64url'),
      host: host.name,
      command: restartShellCommandText(host.app),
      requestedBy: by,
      now: this.d.clock(),
      expiresAt: this.d.clock() + r.confirmTimeout,
    });
    await this.audit(row, by, 'requested', { command: row.command, dryRun: r.dryRun });
    return {
      ok: true,
      request: { row, host, address: hostAddress(host), commandText: row.command, report, warnings: restartWarnings(report), dryRun: r.dryRun },
    };
  }

  /** Where the confirmation message went, so expiry and the outcome can edit it and reply to it. */
  async attachMessage(id: string, channel: string, ts: string, threadTs: string | undefined): Promise<RestartRow | undefined> {
    await this.d.ledger.setMessage(id, channel, ts, threadTs);
    return this.d.ledger.get(id);
  }

  get(id: string): Promise<RestartRow | undefined> {
    return this.d.ledger.get(id);
  }

  /** The exactly-once gate: returns the row now `running`, or why not (audited either way). */
  async confirm(id: string, by: string, inApproverGroup = false): Promise<{ ok: true; row: RestartRow } | Refusal> {
    const row = await this.d.ledger.get(id);
    if (!row) return this.refuse({ host: 'unknown', id }, by, 'this restart request does not exist');
    const may = mayConfirm(row, by, this.d.config, inApproverGroup);
    if (!may.ok) return this.refuse(row, by, may.why);
    const begun = await this.d.ledger.begin(id, by, this.d.clock(), this.d.config.restart.maxPerHour);
    if (begun.ok) {
      await this.audit(row, by, 'confirmed');
      return begun;
    }
    const why =
      begun.why === 'expired'
        ? `this request has expired; ask again with /moneymind restart ${row.host}`
        : begun.why === 'busy'
          ? `a restart of ${row.host} is already running`
          : begun.why === 'limit'
            ? `${row.host} reached restart.maxPerHour; try again after ${utcClock(begun.retryAt ?? 0)}`
            : `this request is already ${begun.row?.state ?? 'gone'}${begun.row?.decided_by ? ` (by ${begun.row.decided_by})` : ''}`;
    return this.refuse(row, by, why);
  }

  async cancel(id: string, by: string, inApproverGroup = false): Promise<{ ok: true; row: RestartRow } | Refusal> {
    const row = await this.d.ledger.get(id);
    if (!row) return this.refuse({ host: 'unknown', id }, by, 'this restart request does not exist');
    const may = mayCancel(row, by, this.d.config, inApproverGroup);
    if (!may.ok) return this.refuse(row, by, may.why);
    if (!(await this.d.ledger.cancel(id, by))) return this.refuse(row, by, `this request is already ${(await this.d.ledger.get(id))?.state}`);
    await this.audit(row, by, 'cancelled');
    return { ok: true, row: (await this.d.ledger.get(id))! };
  }

  private async refuse(row: Pick<RestartRow, 'host'> & { id?: string }, by: string, why: string): Promise<Refusal> {
    await this.audit(row, by, 'refused', { why });
    return { ok: false, why };
  }

  /** Runs the command (unless dry run) and verifies health; call only with a row `confirm` returned. */
  async execute(row: RestartRow): Promise<Outcome> {
    const host = this.d.config.hosts.find((h) => h.name === row.host);
    if (!host) throw new OpsError('INTERNAL', `restart of unknown host ${row.host}`);
    const r = this.d.config.restart;
    const transport = this.d.transportFor(host);
    const started = this.d.clock();
    let exitCode: number | null = 0;
    if (r.dryRun) {
      await this.audit(row, 'bot', 'executed', { command: row.command, dryRun: true });
    } else {
      try {
        const res = await transport.exec(restartShellCommand(host.app), { timeoutMs: r.commandTimeout, maxBytes: 64 * 1024 });
        exitCode = res.code;
        await this.audit(row, 'bot', 'executed', { command: row.command, exitCode, durationMs: res.durationMs });
        if (res.code !== 0) {
          const out = `${res.stdout}${res.stderr}`.trim();
          const hint = sudoHint(out, host.ssh?.username ?? 'the bot user', row.command.replace(/^sudo -n /, ''));
          return this.done(
            row,
            exitCode,
            'failed',
            `❌ the restart command failed (exit ${res.code}): ${hint ?? (out.split('\n')[0] || 'no output')}`,
            undefined,
          );
        }
      } catch (err) {
        const e = err instanceof OpsError ? err : undefined;
        await this.audit(row, 'bot', 'executed', { command: row.command, error: e?.code ?? String(err) });
        return this.done(row, null, 'failed', `❌ the restart command could not run: ${e ? e.toUserText() : String(err)}`, undefined);
      }
    }
    return this.verify(row, host, transport, started, exitCode);
  }

  private async verify(row: RestartRow, host: HostConfig, transport: HostTransport, started: number, exitCode: number | null): Promise<Outcome> {
    const r = this.d.config.restart;
    const t = this.d.config.thresholds;
    const deadline = started + r.verifyTimeout;
    let last = 'no answer';
    for (let i = 0; i < 10_000 && this.d.clock() < deadline; i++) {
      try {
        const res = await transport.httpGet(host.app.healthUrl, {
          timeoutMs: Math.min(t.healthTimeout, Math.max(500, deadline - this.d.clock())),
          maxBytes: 64 * 1024,
        });
        if (res.status === 200) {
          const secs = formatDuration(this.d.clock() - started);
          return this.done(
            row,
            exitCode,
            r.dryRun ? 'dry-run' : 'healthy',
            `✅ ${r.dryRun ? '(dry run: nothing was restarted) ' : ''}healthy ${r.dryRun ? 'now' : `again ${secs} after restart`}`,
            undefined,
          );
        }
        last = `GET /health → ${res.status}`;
      } catch (err) {
        last = err instanceof OpsError ? err.message : String(err);
      }
      await new Promise((res) => setTimeout(res, this.d.pollMs ?? 1000));
    }
    const [report] = await this.d.checkHosts([host], CHECK_IDS);
    const cause = report?.causes[0];
    return this.done(
      row,
      exitCode,
      'still-failing',
      `❌ still failing ${formatDuration(r.verifyTimeout)} after ${r.dryRun ? 'the (dry-run) restart' : 'restart'}: ${last}` +
        `${cause ? ` — likely ${cause.id}: ${cause.title}` : ''}`,
      report,
    );
  }

  private async done(row: RestartRow, exitCode: number | null, outcome: string, summary: string, report: HostReport | undefined): Promise<Outcome> {
    await this.d.ledger.finish(row.id, this.d.clock(), exitCode, outcome);
    this.d.telemetry?.restart(outcome);
    await this.audit(row, 'bot', 'verified', { outcome, summary });
    return { ok: outcome === 'healthy' || outcome === 'dry-run', summary, report };
  }

  /** Pending requests past their time → expired (audited); the adapter edits their messages. */
  async expireDue(): Promise<RestartRow[]> {
    const rows = await this.d.ledger.expireDue(this.d.clock());
    for (const row of rows) await this.audit(row, 'bot', 'expired');
    return rows;
  }

  /** Requests still waiting for a decision: after a restart of the bot, their expiry timers are gone. */
  pending(): Promise<RestartRow[]> {
    return this.d.ledger.pending();
  }

  /** At startup: restarts that were running when the bot died are never run again. */
  async recover(): Promise<RestartRow[]> {
    // With another replica alive, only restarts older than the longest one can take (command +
    // verification + a minute): a restart that replica is running right now is not abandoned.
    const r = this.d.config.restart;
    const now = this.d.clock();
    const others = await (this.d.othersLive?.() ?? Promise.resolve(false)).catch(() => true);
    const rows = await this.d.ledger.abandonRunning(now, others ? now - (r.commandTimeout + r.verifyTimeout + 60_000) : now);
    for (const row of rows) await this.audit(row, 'bot', 'abandoned', { why: 'the bot restarted before the outcome was recorded; not run again' });
    return rows;
  }
}
