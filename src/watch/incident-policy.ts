import type { WatchSettings } from '../config/types.js';
import type { Cause } from '../diagnosis/cause.js';
import type { CauseId } from '../domain/ids.js';
import type { IncidentKey } from '../domain/incident-key.js';
import { FLAP_WINDOW, isFlapping } from './flapping.js';
import type { Observation } from './observe.js';

/** Per incident key, what the watcher remembers between cycles (kept in the store as JSON). */
export interface Tracker {
  readonly key: IncidentKey;
  readonly subject: string;
  readonly cause: CauseId;
  readonly hosts: readonly string[];
  readonly phase: 'ok' | 'pending' | 'firing';
  readonly fails: number;
  readonly oks: number;
  /** Last states, oldest first: true = failing. */
  readonly history: readonly boolean[];
  readonly flapping: boolean;
  /** When the current episode's first failure was seen. */
  readonly since: number | undefined;
  /** Whether the open message went out (false while silenced). */
  readonly posted: boolean;
  readonly lastReminder: number | undefined;
  /** What an update is posted on: severity and the title's kind, not the numbers in it. */
  readonly signature: string | undefined;
  readonly detail: Cause | undefined;
  readonly affected: readonly string[];
  /** This episode was escalated (absent in trackers stored before escalation existed). */
  readonly escalated?: boolean;
  /** When the last escalation went out (absent in trackers stored before watch.escalateRepeat). */
  readonly escalatedAt?: number;
  /** The last cycle that saw it acknowledged: after a give-back, the escalation clock starts there. */
  readonly ackSeenAt?: number;
}

/** Who acknowledged an open incident, and when (kept in the store, read back every cycle). */
export interface Ack {
  readonly by: string;
  readonly at: number;
}

/** What the cycle asks the notifier to post. The notifier turns these into Slack messages. */
export type Intent =
  | { readonly kind: 'open'; readonly key: IncidentKey; readonly flapping: boolean }
  | { readonly kind: 'update'; readonly key: IncidentKey; readonly what: string; readonly ackBy?: string }
  | { readonly kind: 'escalate'; readonly key: IncidentKey; readonly oncall: readonly string[]; readonly afterMs: number }
  | { readonly kind: 'remind'; readonly key: IncidentKey; readonly firingMs: number }
  | { readonly kind: 'flapping'; readonly key: IncidentKey }
  | { readonly kind: 'resolve'; readonly key: IncidentKey; readonly durationMs: number; readonly note?: string };

export interface PolicyContext {
  readonly now: number;
  readonly settings: Pick<WatchSettings, 'failuresToAlert' | 'successesToResolve' | 'remindEvery' | 'flapHigh' | 'flapLow'> &
    Partial<Pick<WatchSettings, 'remindAcknowledgedEvery' | 'escalateAfter' | 'escalateRepeat'>>;
  /** Hosts silenced right now. */
  readonly silenced: ReadonlySet<string>;
  /** Open incidents someone acknowledged, by key. */
  readonly acks?: ReadonlyMap<IncidentKey, Ack>;
  /** slack.oncall: whom an escalation mentions. */
  readonly oncall?: readonly string[];
}

export interface Step {
  readonly trackers: Tracker[];
  readonly intents: Intent[];
  /** Keys whose incident ended this cycle (for history), and those that began firing. */
  readonly opened: readonly IncidentKey[];
  readonly closed: readonly { readonly key: IncidentKey; readonly durationMs: number }[];
}

/**
 * Pure: one cycle's observations against the trackers → new trackers and what to post.
 * ok → pending (fewer than failuresToAlert consecutive failures) → firing → ok after
 * successesToResolve good cycles. One key = one incident = one thread: nothing is opened twice.
 */
export function step(previous: readonly Tracker[], observations: readonly Observation[], ctx: PolicyContext): Step {
  const byKey = new Map(previous.map((t) => [t.key, t]));
  const intents: Intent[] = [];
  const opened: IncidentKey[] = [];
  const closed: { key: IncidentKey; durationMs: number }[] = [];
  const s = ctx.settings;
  for (const o of observations) {
    const before = byKey.get(o.key) ?? fresh(o);
    if (o.verdict === 'unknown') continue;
    const failing = o.verdict === 'fail';
    const history = [...before.history, failing].slice(-FLAP_WINDOW);
    const flapping = isFlapping(before.flapping, history, s.flapHigh, s.flapLow);
    let t: Tracker = {
      ...before,
      history,
      flapping,
      fails: failing ? before.fails + 1 : 0,
      oks: failing ? 0 : before.oks + 1,
      ...(failing ? { detail: o.detail, hosts: o.hosts.length ? o.hosts : before.hosts, affected: o.affected, subject: o.subject } : {}),
    };
    const silenced = t.hosts.length > 0 && t.hosts.every((h) => ctx.silenced.has(h));
    const say = (i: Intent): void => {
      if (t.posted) intents.push(i);
    };

    if (flapping) {
      // One notice instead of open/close spam: in the thread if there is one, else as the opening
      // message; then quiet until it settles. The incident stays open meanwhile.
      if (!before.flapping) say({ kind: 'flapping', key: t.key });
      if (!t.posted && !silenced) {
        intents.push({ kind: 'open', key: t.key, flapping: true });
        t = { ...t, posted: true, lastReminder: ctx.now };
      }
      if (t.phase !== 'firing') {
        opened.push(t.key);
        t = { ...t, phase: 'firing', since: t.since ?? ctx.now };
      }
    } else if (failing) {
      if (before.flapping) say({ kind: 'update', key: t.key, what: 'stopped flapping; still failing' });
      if (t.phase === 'ok') t = { ...t, phase: 'pending', since: ctx.now };
      if (t.phase === 'pending' && t.fails >= s.failuresToAlert) {
        t = { ...t, phase: 'firing', posted: false, lastReminder: ctx.now, signature: signature(o.detail) };
        opened.push(t.key);
      }
      if (t.phase === 'firing') {
        if (!t.posted && !silenced) {
          intents.push({ kind: 'open', key: t.key, flapping: false });
          t = { ...t, posted: true, lastReminder: ctx.now, signature: signature(o.detail) };
        } else if (t.posted) {
          const sig = signature(o.detail);
          const ack = ctx.acks?.get(t.key);
          if (ack) t = { ...t, ackSeenAt: ctx.now };
          // Acknowledged: someone is on it; reminders pause (or slow down), a new cause pings them.
          const remindEvery = ack ? s.remindAcknowledgedEvery || Number.POSITIVE_INFINITY : s.remindEvery;
          if (sig !== t.signature) {
            const what = o.detail ? `${o.detail.severity}: ${o.detail.title}` : 'changed';
            say({ kind: 'update', key: t.key, what, ...(ack ? { ackBy: ack.by } : {}) });
            t = { ...t, signature: sig };
          } else if (ctx.now - (t.lastReminder ?? ctx.now) >= remindEvery) {
            say({ kind: 'remind', key: t.key, firingMs: ctx.now - (t.since ?? ctx.now) });
            t = { ...t, lastReminder: ctx.now };
          }
          if (shouldEscalate(t, ack, ctx)) {
            say({ kind: 'escalate', key: t.key, oncall: ctx.oncall ?? [], afterMs: ctx.now - (t.since ?? ctx.now) });
            t = { ...t, escalated: true, escalatedAt: ctx.now };
          }
        }
      }
    } else if (t.phase === 'pending') {
      t = { ...t, phase: 'ok', since: undefined };
    } else if (t.phase === 'firing' && (t.oks >= s.successesToResolve || before.flapping)) {
      const durationMs = ctx.now - (t.since ?? ctx.now);
      say({ kind: 'resolve', key: t.key, durationMs, ...(before.flapping ? { note: 'stopped flapping' } : {}) });
      closed.push({ key: t.key, durationMs });
      t = {
        ...t,
        phase: 'ok',
        since: undefined,
        posted: false,
        lastReminder: undefined,
        signature: undefined,
        escalated: false,
        escalatedAt: undefined,
        ackSeenAt: undefined,
      };
    }
    byKey.set(t.key, t);
  }
  // Keys that are quiet and settled carry no memory worth keeping.
  const trackers = [...byKey.values()].filter((t) => t.phase !== 'ok' || t.flapping || t.history.some((x) => x));
  return { trackers, intents, opened, closed };
}

function fresh(o: Observation): Tracker {
  return {
    key: o.key,
    subject: o.subject,
    cause: o.cause,
    hosts: o.hosts,
    phase: 'ok',
    fails: 0,
    oks: 0,
    history: [],
    flapping: false,
    since: undefined,
    posted: false,
    lastReminder: undefined,
    signature: undefined,
    detail: undefined,
    affected: [],
  };
}

/**
 * Pure: escalate when an alert that went out has gone unacknowledged for `escalateAfter`, counted
 * from the latest of its first failure, its last escalation and the last cycle that saw it
 * acknowledged (a give-back restarts the clock: whoever hands it back is not paged over at once).
 * Once per episode, or again every `escalateAfter` with `escalateRepeat`. Off when 0/absent.
 */
export function shouldEscalate(t: Tracker, ack: Ack | undefined, ctx: Pick<PolicyContext, 'now' | 'settings'>): boolean {
  const after = ctx.settings.escalateAfter ?? 0;
  if (!(after > 0 && t.phase === 'firing' && t.posted && !ack)) return false;
  // A tracker stored before escalatedAt existed: its one escalation went out about escalateAfter in.
  const last = t.escalatedAt ?? (t.escalated ? (t.since ?? ctx.now) + after : undefined);
  if (last !== undefined && !ctx.settings.escalateRepeat) return false;
  const from = Math.max(t.since ?? ctx.now, last ?? Number.NEGATIVE_INFINITY, t.ackSeenAt ?? Number.NEGATIVE_INFINITY);
  return ctx.now - from >= after;
}

/** Severity plus the title with its numbers blanked: "42 errors" → "# errors" does not re-alert. */
function signature(c: Cause | undefined): string | undefined {
  return c ? `${c.severity}:${c.title.replace(/\d+(\.\d+)?/g, '#')}` : undefined;
}
