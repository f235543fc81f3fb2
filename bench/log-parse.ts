import { readFileSync, writeFileSync } from 'node:fs';
import { evaluateLogs } from '../src/checks/logs-check.js';
import { loadConfig } from '../src/config/load-config.js';

/*
 * What reading a log tail costs the bot: evaluateLogs (format detection, records, signals) on the
 * default tail of 5000 lines of each captured format, against a floor measured in the same run:
 * splitting the same text into lines and testing one regex per line (what the first, runbook-only
 * reader amounted to). Ratios, not absolute times: the machine is shared.
 *
 *   node --import tsx bench/log-parse.ts   → bench/results/log-parse.json
 */
const LINES = 5000;
const ROUNDS = 15;
const T = loadConfig({}, undefined).thresholds;
const FILES = [
  'app-logs/runbook.log',
  'app-logs/oslo-style.log',
  'app-logs/loguru.log',
  'app-logs/json-python-json-logger.log',
  'app-logs/stderr-no-timestamps.log',
  'app-logs/container-prefix-podman-compose-logs.log',
  'db-signals/waitress-hung.log',
];

/** A 5000-line tail made by repeating a real capture's lines (no line is invented). */
function tailOf(file: string): string {
  const lines = readFileSync(new URL(`../test/fixtures/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean);
  return Array.from({ length: LINES }, (_, i) => lines[i % lines.length]).join('\n');
}

function floor(text: string): number {
  let n = 0;
  for (const l of text.split('\n')) if (/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?:[,.]\d+)?\s+(ERROR|WARNING|INFO)\b/.test(l)) n++;
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

const rows = FILES.map((file) => {
  const text = tailOf(file);
  const probe = `@@log\n${text}\n`;
  const app = { logFile: '/var/log/m.log', service: 'moneymind' };
  for (let i = 0; i < 3; i++) {
    floor(text);
    evaluateLogs(probe, app, T);
  }
  const base: number[] = [];
  const full: number[] = [];
  // Interleaved, so that a busy moment hits both sides alike.
  for (let i = 0; i < ROUNDS; i++) {
    base.push(time(() => floor(text)));
    full.push(time(() => evaluateLogs(probe, app, T)));
  }
  const heap0 = process.memoryUsage().heapUsed;
  const out = evaluateLogs(probe, app, T);
  return {
    file,
    kb: Math.round(text.length / 1024),
    records: out.details.records,
    format: out.details.format,
    ratio: Math.round((median(full) / median(base)) * 10) / 10,
    msPer5000: Math.round(median(full) * 10) / 10,
    heapDeltaMb: Math.round(((process.memoryUsage().heapUsed - heap0) / 1048576) * 10) / 10,
  };
});

console.log(`evaluateLogs on ${LINES}-line tails vs one regex per line (median of ${ROUNDS}):`);
console.log('| file | KB | format | records | × floor | ms |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.file} | ${r.kb} | ${r.format} | ${r.records} | ${r.ratio} | ${r.msPer5000} |`);
writeFileSync(new URL('./results/log-parse.json', import.meta.url), `${JSON.stringify(rows, null, 2)}\n`);
