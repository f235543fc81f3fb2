import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { fixture, FIXTURES } from '../fixture.js';
import { thresholds } from '../thresholds.js';

/*
 * The invariant: an excerpt made only of error records is never summarised as "ok", whatever its
 * format — a known one gives errors, an unknown one gives "N lines in an unknown format". The
 * error lines are chosen here by a plain grep for a level word, independently of the parser, from
 * every captured and published log; then single lines and random groups of them (seeded) are
 * evaluated as the whole tail of a log file.
 */
const LEVEL =
  /(?:^|[\s[|:"(])(?:ERROR|CRITICAL|FATAL|CRIT|ERR)(?:[\s\]|:")]|$)|"(?:level|levelname|severity)": ?"(?:error|critical|fatal|ERROR|CRITICAL|FATAL)"/;
const DIRS = ['app-logs', 'db-signals', 'gunicorn', 'published', 'supervisord'];
const logs = [
  'moneymind-log-broken.log',
  ...DIRS.flatMap((d) => {
    try {
      return (
        readdirSync(join(FIXTURES, d))
          // Logs only: supervisorctl's own output and the capture transcripts are no log.
          .filter((f) => (d === 'published' ? /\.txt$/ : /\.log$/).test(f))
          .map((f) => `${d}/${f}`)
      );
    } catch {
      return [];
    }
  }),
];

function errorLines(file: string): string[] {
  // A line that starts a record: not indented, and its first level word is an error level
  // ("INFO gave up: … entered FATAL state" is not).
  return fixture(file)
    .split('\n')
    .filter((l) => /^\S/.test(l) && !/^(?:Traceback|During handling|The above exception)/.test(l) && firstLevelIsError(l));
}

function firstLevelIsError(line: string): boolean {
  const first = /(?:^|[\s[|:"(])(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|CRIT|ERR)(?:[\s\]|:")]|$)|"(?:level|levelname|severity)": ?"(\w+)"/.exec(line);
  return first !== null && LEVEL.test(first[0]);
}

const T = thresholds();
const evaluate = (tail: string) => evaluateLogs(`@@log\n${tail}\n`, { logFile: '/opt/moneymind/logs/moneymind.log', service: 'moneymind' }, T);

describe('an excerpt whose every record is an error is never "ok"', () => {
  let seed = 14;
  const rnd = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  for (const file of logs) {
    const lines = errorLines(file);
    if (!lines.length) continue;
    it(`${file}: ${lines.length} error line(s), alone and in groups`, () => {
      const excerpts = [...lines.map((l) => [l]), ...Array.from({ length: 20 }, () => Array.from({ length: 1 + rnd(5) }, () => lines[rnd(lines.length)]!))];
      for (const ex of excerpts) {
        const out = evaluate(ex.join('\n'));
        assert.notEqual(out.status, 'ok', `${JSON.stringify(ex)} → ${out.summary}`);
        assert.doesNotMatch(out.summary, /^no errors/, JSON.stringify(ex));
      }
    });
  }
  it('covers every format directory that exists', () => {
    assert.ok(logs.length > 40, `${logs.length} logs`);
  });
});
