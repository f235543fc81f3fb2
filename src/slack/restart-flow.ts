import type { RespondFn, webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import type { RestartRequest, RestartService } from '../restart/restart-service.js';
import type { RestartRow } from '../store/restart-types.js';
import type { SlackMessage } from '../slack-format/slack-message.js';
import { restartConfirmation, restartOutcome, restartState } from './blocks/restart-blocks.js';

/**
 * The Slack side of approved restarts: posts the confirmation (in the incident's thread if there
 * is one), edits it as the request moves on (restarting…, expired, cancelled, outcome) and puts the
 * outcome in the thread. Every decision is RestartService's, i.e. the store's.
 */
export class RestartFlow {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly groupCache = new Map<string, { at: number; members: string[] }>();

  constructor(
    private readonly service: RestartService,
    private readonly client: webApi.WebClient,
    private readonly threadFor: (host: string) => Promise<{ channel: string; ts: string } | undefined>,
    private readonly log: Logger,
    private readonly approverGroups: readonly string[] = [],
    private readonly clock: () => number = Date.now,
  ) {}

  /** Posts the confirmation; returns where, for the requester. */
  async post(req: RestartRequest, channel: string): Promise<string> {
    const thread = await this.threadFor(req.host.name);
    const msg = restartConfirmation(req);
    const res = await this.client.chat.postMessage({
      channel: thread?.channel ?? channel,
      text: msg.text,
      blocks: msg.blocks,
      ...(thread ? { thread_ts: thread.ts } : {}),
    });
    const row = await this.service.attachMessage(req.row.id, res.channel ?? thread?.channel ?? channel, String(res.ts), thread?.ts);
    if (row) this.expireAt(row);
    return thread ? 'in the incident thread' : 'below';
  }

  async confirm(id: string, userId: string, respond: RespondFn): Promise<void> {
    const run = this.confirmAndRun(id, userId, respond);
    this.inFlight.add(run);
    try {
      await run;
    } finally {
      this.inFlight.delete(run);
    }
  }

  /**
   * Shutdown: lets running restarts finish for up to `ms`. One still running after that stays
   * `running` in the store, and the next start reports it (abandoned, never re-run).
   */
  async drain(ms: number): Promise<void> {
    if (!this.inFlight.size) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((r) => (timer = setTimeout(r, ms)))]);
    clearTimeout(timer);
  }

  private async confirmAndRun(id: string, userId: string, respond: RespondFn): Promise<void> {
    const r = await this.service.confirm(id, userId, await this.inApproverGroup(userId));
    if (!r.ok) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: `:no_entry: ${r.why}` });
      return;
    }
    // Edited at once, so nobody clicks a live button while the restart runs.
    await this.edit(r.row, restartState(r.row, 'restarting'));
    const outcome = await this.service.execute(r.row);
    const row = (await this.service.get(id)) ?? r.row;
    await this.reply(row, restartOutcome(outcome));
    await this.edit(row, restartState(row, 'finished', outcome.summary));
  }

  async cancel(id: string, userId: string, respond: RespondFn): Promise<void> {
    const r = await this.service.cancel(id, userId, await this.inApproverGroup(userId));
    if (!r.ok) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: `:no_entry: ${r.why}` });
      return;
    }
    await this.edit(r.row, restartState(r.row, 'cancelled'));
  }

  /** Expires due requests and edits their messages; also run at start for ones missed while down. */
  async expireDue(): Promise<void> {
    for (const row of await this.service.expireDue()) await this.edit(row, restartState(row, 'expired'));
  }

  /**
   * At start: restarts that were running when the bot died are reported, never run again. Requests
   * still pending lost their expiry timers with the old process: those past confirmTimeout expire
   * now (message edited, buttons gone), the others get a timer for the time they have left.
   */
  async recover(): Promise<void> {
    for (const row of await this.service.recover()) {
      await this.edit(row, restartState(row, 'abandoned'));
      await this.reply(row, restartState(row, 'abandoned'));
    }
    await this.expireDue();
    for (const row of await this.service.pending()) this.expireAt(row);
    this.recoverAgainLater();
  }

  /**
   * Each minute, running restarts again: one left running by a replica that died while another
   * was alive is abandoned once older than any restart can take (see RestartService.recover).
   */
  private recoverAgainLater(): void {
    const again = setTimeout(() => {
      this.timers.delete(again);
      void this.recoverRunning().catch((err: unknown) => this.log.error({ err }, 'could not recover restarts'));
    }, 60_000);
    again.unref();
    this.timers.add(again);
  }

  private async recoverRunning(): Promise<void> {
    for (const row of await this.service.recover()) {
      await this.edit(row, restartState(row, 'abandoned'));
      await this.reply(row, restartState(row, 'abandoned'));
    }
    this.recoverAgainLater();
  }

  /** Members of slack.approverGroups, from Slack (usergroups.users.list), cached for a minute. */
  private async inApproverGroup(userId: string): Promise<boolean> {
    for (const group of this.approverGroups) {
      const cached = this.groupCache.get(group);
      let members = cached && cached.at > this.clock() - 60_000 ? cached.members : undefined;
      if (!members) {
        try {
          const res = await this.client.usergroups.users.list({ usergroup: group });
          members = res.users ?? [];
          this.groupCache.set(group, { at: this.clock(), members });
        } catch (err) {
          // Unknown membership is not membership: refuse rather than guess.
          this.log.error({ err, group }, 'could not read an approver group (needs usergroups:read)');
          members = [];
        }
      }
      if (members.includes(userId)) return true;
    }
    return false;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private expireAt(row: RestartRow): void {
    const t = setTimeout(
      () => {
        this.timers.delete(t);
        void this.expireDue().catch((err: unknown) => this.log.error({ err }, 'could not expire restart requests'));
      },
      Math.max(0, row.expires_at - this.clock()) + 50,
    );
    t.unref();
    this.timers.add(t);
  }

  private async edit(row: RestartRow, msg: SlackMessage): Promise<void> {
    if (!row.channel || !row.message_ts) return;
    await this.client.chat
      .update({ channel: row.channel, ts: row.message_ts, text: msg.text, blocks: msg.blocks })
      .catch((err: unknown) => this.log.error({ err, restart: row.id }, 'could not edit the restart message'));
  }

  private async reply(row: RestartRow, msg: SlackMessage): Promise<void> {
    if (!row.channel || !row.message_ts) return;
    await this.client.chat
      .postMessage({ channel: row.channel, thread_ts: row.thread_ts ?? row.message_ts, text: msg.text, blocks: msg.blocks })
      .catch((err: unknown) => this.log.error({ err, restart: row.id }, 'could not post the restart outcome'));
  }
}
