import type { RestartLedger } from './restart-types.js';
import type { WatchStore } from './watch-store.js';

/** All the bot keeps: the watcher's tables and the restart ledger. `store.ts` is the SQLite one. */
export type BotStore = WatchStore & { readonly restarts: RestartLedger };
