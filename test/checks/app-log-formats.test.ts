import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { parseHostClock } from '../../src/checks/log-time.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { clockAfter } from './log-clock.js';

/*
 * One real app run per record format (test/fixtures/app-logs/README.md): the same scenario each
 * time — start, requests, a 2006 on /health with its traceback, a 2013 that Flask logs as
 * "Exception on /report [GET]", three Waitress "Task queue depth" warnings, one CRITICAL — so every
 * format must give the same counts.
 */
const T = thresholds();
const app = { logFile: '/opt/moneymind/logs/moneymind.log', service: 'moneymind' };
const probe = (log: string, clock: string, mtime = '') => `@@now\n${clock}\n@@log-mtime\n${mtime}\n@@log\n${log}\n`;
const epochOf = (clock: string) => String(Math.floor((parseHostClock(clock).nowMs ?? 0) / 1000));

const SAME = { records: 19, errors: 3, warnings: 3, tracebacks: 2, goneAway: 1, lost: 1, queue: 3 };
const table: [file: string, format: string, expect: typeof SAME][] = [
  ['app-logs/runbook.log', 'runbook', SAME],
  ['app-logs/dash-separated.log', 'dash', SAME],
  ['app-logs/oslo-style.log', 'oslo', SAME],
  ['app-logs/loguru.log', 'loguru', SAME],
  ['app-logs/json-python-json-logger.log', 'json', SAME],
  ['app-logs/json-custom.log', 'json', SAME],
  ['app-logs/basicconfig.log', 'basic', SAME],
  // Flask's handler (WARNING and up only) and a root logging.lastResort-like basic handler both wrote each record.
  ['app-logs/flask-default.log', 'flask', { records: 9, errors: 6, warnings: 3, tracebacks: 4, goneAway: 2, lost: 2, queue: 3 }],
];

describe('every record format, read from a real run of the app', () => {
  for (const [file, format, e] of table) {
    it(`${file}: ${format}`, () => {
      const text = fixture(file);
      const timed = format !== 'basic';
      // basicConfig writes no time: the file's mtime (read on the host) says whether it is recent.
      const clock = timed ? clockAfter(text) : '2026-12-01 01:10:00 +0000';
      const out = evaluateLogs(probe(text, clock, timed ? '' : epochOf('2026-12-01 01:09:00 +0000')), app, T);
      const d = out.details;
      assert.equal(d.format, format);
      assert.deepEqual(
        [d.records, d.errors, d.warnings, d.tracebacks],
        [e.records, e.errors, e.warnings, e.tracebacks],
        'records, errors, warnings, tracebacks',
      );
      assert.equal(d.signals['gone-away']?.count, e.goneAway);
      assert.equal(d.signals['lost-connection']?.count, e.lost, 'the 2013 named only at the end of the traceback, counted once');
      assert.equal(d.signals['queue-depth']?.count, e.queue);
      assert.equal(d.unknownLines, 0);
      assert.equal(out.status, 'fail');
      assert.match(out.summary, /^\d+ errors in 15 min, /);
      assert.ok(
        d.lastErrors.some((l) => /CRITICAL: .*shutting down/i.test(l)),
        'CRITICAL counts as an error',
      );
    });

    it(`${file}: outside the window it is history`, () => {
      const text = fixture(file);
      const timed = format !== 'basic';
      const clock = timed ? clockAfter(text, 86_400_000) : '2026-12-02 01:10:00 +0000';
      const out = evaluateLogs(probe(text, clock, timed ? '' : epochOf('2026-12-01 01:09:00 +0000')), app, T);
      assert.equal(out.details.records, 0);
      assert.equal(out.summary, 'no errors in 15 min');
    });
  }

  it('oslo: the prefix on every traceback line is one record, not one error per line', () => {
    const text = fixture('app-logs/oslo-style.log');
    const prefixed = text.split('\n').filter((l) => / \d+ ERROR capture-app /.test(l)).length;
    const out = evaluateLogs(probe(text, clockAfter(text)), app, T);
    assert.ok(prefixed > 50, `${prefixed} ERROR-prefixed lines`);
    assert.equal(out.details.errors, 3);
  });

  it('JSON with a time zone: +01:00 times compare with a UTC host clock', () => {
    const text = fixture('app-logs/json-custom.log');
    assert.match(text, /"time": "2026-12-01T0\d:\d\d:\d\d\.\d+\+01:00"/);
    // The capture's last line is at 02:05+01:00 = 01:05Z; a UTC clock at 01:06 holds all of it.
    const out = evaluateLogs(probe(text, clockAfter(text)), app, T);
    assert.equal(out.details.records, 19);
  });

  it('bare stderr: uncaught and thread tracebacks are errors; lines of no format are said, and still searched', () => {
    const text = fixture('app-logs/stderr-no-timestamps.log');
    const out = evaluateLogs(probe(text, clockAfter(text), epochOf(clockAfter(text, 0))), app, T);
    const d = out.details;
    assert.ok(d.errors >= 4, `${d.errors} errors`);
    assert.ok(d.unknownLines > 0);
    assert.equal(d.signals['gone-away']?.count, 2);
    assert.equal(d.signals['queue-depth']?.count, 3, '"Task queue depth is N" written bare by logging.lastResort');
    assert.match(out.summary, new RegExp(`; ${d.unknownLines} lines in an unknown format$`));
    assert.ok(d.lastErrors.some((l) => /Exception in thread Thread-1 \(worker\): → sqlalchemy\.exc\.OperationalError: .*2013/.test(l)));
  });

  it('a file with no time at all: recent by its mtime, else none of it', () => {
    const text = fixture('app-logs/basicconfig.log');
    const clock = '2026-12-01 01:10:00 +0000';
    assert.equal(evaluateLogs(probe(text, clock, epochOf('2026-12-01 01:09:00 +0000')), app, T).details.errors, 3);
    assert.equal(evaluateLogs(probe(text, clock, epochOf('2026-12-01 00:40:00 +0000')), app, T).details.records, 0);
  });
});

describe('container and syslog prefixes', () => {
  it('compose v1/v2 and podman-compose prefixes are stripped before the format is read', () => {
    const base = fixture('app-logs/runbook.log').split('\n').filter(Boolean);
    for (const prefix of ['web-1  | ', 'web_1     | ', '[web]    | ']) {
      const text = base.map((l) => `${prefix}${l}`).join('\n');
      const out = evaluateLogs(probe(text, clockAfter(text)), app, T);
      assert.equal(out.details.containerPrefix, true, prefix);
      assert.equal(out.details.format, 'runbook');
      assert.equal(out.details.errors, 3);
    }
  });

  // podman 4.3 / podman-compose 1.0.3 for real: two containers (the runbook run and the JSON run, 3 errors each).
  const podman: [file: string, prefixed: boolean, unknown: number][] = [
    ['app-logs/container-prefix-podman-logs-timestamps.log', false, 0],
    ['app-logs/container-prefix-podman-compose-logs.log', true, 4],
    ['app-logs/container-prefix-podman-compose-logs-names-timestamps.log', true, 4],
    ['app-logs/container-prefix-podman-compose-up.log', false, 15],
  ];
  for (const [file, prefixed, unknown] of podman) {
    it(`${file}: interleaved containers each keep their records; a JSON record conmon split in two is one`, () => {
      const out = evaluateLogs(`@@log\n${fixture(file)}\n`, app, T);
      const d = out.details;
      const two = !file.endsWith('podman-logs-timestamps.log');
      assert.equal(d.containerPrefix, prefixed);
      assert.deepEqual(
        [d.errors, d.signals['gone-away']?.count, d.signals['lost-connection']?.count, d.signals['queue-depth']?.count],
        two ? [6, 2, 2, 6] : [3, 1, 1, 3],
      );
      // podman-compose's own lines ("using podman version: 4.3.1", "exit code: 0") are said, not hidden.
      assert.equal(d.unknownLines, unknown);
    });
  }

  it('published compose output (v1 and v2 widths) and journald-prefixed oslo lines', () => {
    for (const file of ['published/compose-prefix-1.txt', 'published/compose-prefix-2.txt', 'published/compose-prefix-3.txt', 'published/oslo-log-4.txt']) {
      const out = evaluateLogs(`@@log\n${fixture(file)}\n`, app, T);
      assert.equal(out.details.containerPrefix, true, file);
    }
  });
});
