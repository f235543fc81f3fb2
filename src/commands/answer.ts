import type { WatchLeader } from '../domain/watch-leader.js';
import type { RestartRequest } from '../restart/restart-service.js';
import type { HostReport } from '../engine/host-report.js';
import type { DoctorHost } from '../doctor/doctor-types.js';

/**
 * What a command answers, before any rendering: Slack turns it into Block Kit, the terminal into
 * text. `visibility` says who should see it: a status is for the whole channel, errors and help
 * only for the person who asked.
 */
export type Answer =
  | {
      readonly kind: 'reports';
      readonly visibility: 'channel';
      readonly reports: readonly HostReport[];
      readonly detail: boolean;
      readonly silences?: ReadonlyMap<string, SilenceLine>;
    }
  | {
      readonly kind: 'log-lines';
      readonly visibility: 'channel';
      readonly host: string;
      readonly lines: readonly string[];
      readonly report: HostReport;
      /** Set when the log could not be read: shown instead of an empty list, which would read as "no errors". */
      readonly problem: string | undefined;
    }
  | {
      readonly kind: 'file';
      readonly visibility: 'channel';
      readonly filename: string;
      readonly title: string;
      /** Text (a support bundle) or bytes (a PNG chart). */
      readonly content: string | Uint8Array;
      readonly summary: string;
      /** An image's description for screen readers (Slack's alt_text). */
      readonly altText?: string;
    }
  | { readonly kind: 'hosts'; readonly visibility: 'ephemeral'; readonly hosts: readonly HostLine[]; readonly leader?: WatchLeader }
  | { readonly kind: 'help'; readonly visibility: 'ephemeral'; readonly intro?: string; readonly commands: readonly { usage: string; description: string }[] }
  | { readonly kind: 'note'; readonly visibility: 'channel' | 'ephemeral'; readonly text: string }
  | { readonly kind: 'history'; readonly visibility: 'ephemeral'; readonly host: string | undefined; readonly incidents: readonly HistoryLine[] }
  | { readonly kind: 'restart-request'; readonly visibility: 'channel'; readonly request: RestartRequest }
  /** `doctor HOST`: the setup checklist, only for the asker (it names users, groups and sudoers lines). */
  | { readonly kind: 'doctor'; readonly visibility: 'ephemeral'; readonly hosts: readonly DoctorHost[] }
  | { readonly kind: 'error'; readonly visibility: 'ephemeral'; readonly message: string; readonly fix?: string };

export interface HostLine {
  readonly name: string;
  readonly address: string;
  readonly service: string;
  /** From the last check the bot ran on it, if any. */
  readonly last: { readonly status: HostReport['status']; readonly at: number; readonly cause: string | undefined } | undefined;
  readonly silence: SilenceLine | undefined;
}

export interface SilenceLine {
  readonly until: number;
  readonly reason: string;
  readonly by: string;
}

export interface HistoryLine {
  readonly kind: 'incident' | 'restart';
  readonly subject: string;
  readonly cause: string;
  readonly title: string;
  readonly openedAt: number;
  readonly resolvedAt: number | undefined;
  /** Time to acknowledge: from opening to the first [Acknowledge], if anyone clicked it. */
  readonly ackMs?: number;
}

/** `hosts`' line under the list, the same in the terminal and Slack (names are the bot's own, not host text). */
export function leaderText(l: WatchLeader): string {
  if (l.leading) return `watcher: led by this replica (${l.self}, lease token ${l.token})`;
  if (l.holder) return `watcher: led by ${l.holder} (lease token ${l.token}); this replica (${l.self}) stands by`;
  return `watcher: no replica leads right now; this one (${l.self}) is trying to take the lease`;
}
