import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../src/log/create-logger.js';
import { startTestHost } from '../test/support/test-host.js';
import { TIME_TO_ALERT, supervisorOutage, timeToAlert } from './time-to-alert.js';
import { timeToAlertRows } from './time-to-alert-rows.js';

/*
 * `node --import tsx bench/run-time-to-alert.ts`: the time-to-alert measurement alone (npm run
 * bench runs it too), on the supervisor test host. Prints the table and the raw numbers, writes
 * bench/results/time-to-alert.json. BENCH_TTA_RUNS (default 8) outages per mode.
 */
const root = new URL('..', import.meta.url).pathname;
const say = (s: string): void => void process.stderr.write(`${s}\n`);
const runs = Number(process.env.BENCH_TTA_RUNS ?? 8);
const dir = mkdtempSync(join(tmpdir(), 'mm-bench-tta-'));
const host = await startTestHost({ withDb: true });
try {
  say(`time to alert: schedule every 6 s, failuresToAlert 2, retryInterval off and 1s, ${runs} outages each…`);
  const result = await timeToAlert(supervisorOutage(host), dir, createLogger({ level: 'silent' }), say, { ...TIME_TO_ALERT, runs });
  for (const row of timeToAlertRows(result)) process.stdout.write(`${row.join('  ')}\n`);
  process.stdout.write(`\n${JSON.stringify(result, null, 2)}\n`);
  mkdirSync(join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results', 'time-to-alert.json'), `${JSON.stringify({ at: new Date().toISOString(), ...result }, null, 2)}\n`);
} finally {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
}
