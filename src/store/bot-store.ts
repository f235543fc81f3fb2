import type { RestartLedger } from './restart-types.js';
import type { WatchStore } from './watch-store.js';

/** All the bot keeps: the watcher's tables and the restart ledger. `sql/sql-store.ts` implements it (SQLite or MySQL: open-store.ts). */
export type BotStore = WatchStore & { readonly restarts: RestartLedger };
