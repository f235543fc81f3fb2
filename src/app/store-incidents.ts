import type { IncidentServices } from '../commands/command.js';
import type { PageTarget } from '../config/types.js';
import { noTelemetry, type Telemetry } from '../ops/telemetry.js';
import type { BotStore } from '../store/bot-store.js';
import { acknowledge } from '../watch/acknowledge.js';

/** Silences, history and alert threads for the commands, read from and written to the store. */
export function storeIncidents(
  store: BotStore,
  clock: () => number,
  postsWaiting: () => void = () => undefined,
  telemetry: Telemetry = noTelemetry,
  /** Where an acknowledgement is paged (config.paging). */
  paging: readonly PageTarget[] = [],
): IncidentServices {
  return {
    async silence(host, durationMs, reason, by) {
      const now = clock();
      const s = { host, until: now + durationMs, reason, by, createdAt: now };
      await store.setSilence(s);
      return s;
    },
    unsilence: (host) => store.removeSilence(host),
    silences: async () => new Map((await store.activeSilences(clock())).map((s) => [s.host, s])),
    history: (host, limit) => store.history(host, limit),
    openThread: (host) => store.openThreadFor(host),
    async acknowledge(value, by, acknowledged) {
      const outcome = await acknowledge(store, value, by, clock(), acknowledged, telemetry, paging);
      if (outcome.ok) postsWaiting();
      return outcome;
    },
    restarts: (host, limit) => store.restarts.recent(host, limit),
  };
}
