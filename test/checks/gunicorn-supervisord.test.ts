import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';
import { clockAfter } from './log-clock.js';

/*
 * gunicorn 20.1 and supervisord 4.2.5, run for real (test/fixtures/gunicorn/README.md,
 * test/fixtures/supervisord/README.md); gunicorn lines users published (test/fixtures/published/).
 */
const T = thresholds();
const FOREVER = { ...T, logWindow: 10 * 365 * 86_400_000 }; // published excerpts are years old

const logsOf = (log: string, t = T) =>
  evaluateLogs(`@@now\n${clockAfter(log)}\n@@log\n${log}\n`, { logFile: '/var/log/gunicorn/error.log', service: 'moneymind' }, t);
const diagnosis = (out: ReturnType<typeof evaluateLogs>) =>
  diagnose({
    checks: [{ id: 'logs', status: out.status, summary: out.summary, details: out.details, evidence: out.evidence, durationMs: 1 }],
    poolRecycle: 3600,
    thresholds: T,
    rssHistory: [],
    now: 0,
  });

describe('gunicorn error logs', () => {
  const table: [file: string, timeouts: number, kills: string[]][] = [
    ['gunicorn/worker-timeout.log', 1, []],
    ['gunicorn/worker-timeout-sigkill.log', 1, ['SIGKILL']],
    ['gunicorn/worker-signal-9.log', 0, ['SIGKILL']],
    ['gunicorn/worker-signal-6.log', 0, ['SIGABRT']],
    ['gunicorn/stderr-default.log', 1, []],
    ['gunicorn/gthread-timeout.log', 0, []],
  ];
  for (const [file, timeouts, kills] of table) {
    it(`${file}: ${timeouts} timeout(s), killed by ${kills.join(', ') || 'nothing'}`, () => {
      const out = logsOf(fixture(file));
      assert.equal(out.details.format, 'gunicorn');
      assert.equal(out.details.workerTimeouts, timeouts);
      assert.deepEqual(out.details.workerKillSignals, kills);
      assert.equal(out.details.unknownLines, 0, out.summary);
      const cause = diagnosis(out).find((c) => c.id === 'worker-timeout');
      if (timeouts || kills.length) {
        // Requests in flight died with the worker: the log check fails, and the cause alerts.
        assert.equal(out.status, 'fail');
        assert.equal(cause?.severity, 'critical');
        assert.match(cause?.title ?? '', timeouts ? /^gunicorn killed 1 worker that did not answer within its timeout/ : /^gunicorn workers died \(SIG/);
      } else assert.equal(cause, undefined);
    });
  }

  it("Flask's own error lines inside gunicorn's log are errors, with their traceback as one record", () => {
    const out = logsOf(fixture('gunicorn/errorlog-app-exception.log'));
    assert.equal(out.details.errors, 1);
    assert.equal(out.details.tracebacks, 1);
    assert.match(out.details.lastErrors[0] ?? '', /ERROR: Exception on \/x \[GET\] → \w+/);
  });

  const published: [file: string, timeouts: number, kills: string[]][] = [
    ['published/gunicorn-timeout-1.txt', 4, ['SIGABRT', 'SIGKILL']],
    ['published/gunicorn-timeout-2.txt', 3, ['SIGKILL']],
    ['published/gunicorn-timeout-3.txt', 1, ['SIGKILL']],
    ['published/gunicorn-timeout-4.txt', 0, ['SIGKILL']],
  ];
  for (const [file, timeouts, kills] of published) {
    it(`published ${file}`, () => {
      const out = logsOf(fixture(file), FOREVER);
      assert.ok(out.details.workerTimeouts >= timeouts, `${out.details.workerTimeouts} timeouts`);
      assert.deepEqual(out.details.workerKillSignals, kills);
      assert.ok(out.details.signals['worker-timeout']);
    });
  }
});

describe("supervisord's own log", () => {
  const sup = (file: string, program: string) => {
    const text = fixture(file);
    const grep = text
      .split('\n')
      .filter((l) => /spawned:|exited:|gave up:/.test(l))
      .join('\n');
    return evaluateLogs(
      `@@now\n${clockAfter(text)}\n@@log\n\n@@supervisord\n@@supervisord-log /var/log/supervisor/supervisord.log\n${grep}\n`,
      { logFile: '/x.log', service: program, manager: 'supervisor' },
      T,
    );
  };
  const table: [file: string, program: string, exits: number, gaveUp: boolean, loop: boolean][] = [
    ['supervisord/supervisord-crash-loop.log', 'crashloop5', 4, true, true],
    ['supervisord/supervisord-crash-loop-startsecs1.log', 'crashloop', 14, false, true],
    ['supervisord/supervisord-exit-after-running.log', 'runexit', 4, false, true],
    ['supervisord/supervisord-killed.log', 'webapp', 2, false, true],
    ['supervisord/supervisord-pyapp.log', 'pyapp', 2, true, true],
    ['supervisord/supervisord-normal-stop.log', 'webapp', 0, false, false],
    ['supervisord/supervisord-exit-expected.log', 'cleanexit', 0, false, false],
  ];
  for (const [file, program, exits, gaveUp, loop] of table) {
    it(`${file}: ${exits} unexpected exits${gaveUp ? ', gave up' : ''}`, () => {
      const text = fixture(file);
      const out = sup(file, program);
      const c = out.details.crashes;
      assert.equal(c?.manager, 'supervisor');
      // Counted independently: the lines saying "not expected" for this program.
      assert.equal(c?.exits, text.split('\n').filter((l) => l.includes(`exited: ${program} (`) && l.includes('not expected')).length);
      assert.ok((c?.exits ?? 0) >= Math.min(exits, 2), `${c?.exits} exits`);
      assert.equal(c?.gaveUp !== null, gaveUp);
      assert.equal(!!out.details.signals['crash-loop'], loop);
      const cause = diagnosis(out).find((x) => x.id === 'crash-loop');
      // Given up, or three exits in the window (supervisord may never say FATAL): critical.
      assert.equal(cause?.severity, loop ? (gaveUp || (c?.exits ?? 0) >= 3 ? 'critical' : 'warning') : undefined);
    });
  }

  it('a program killed by SIGKILL: the kill times are kept to recognise an OOM kill of the app', () => {
    const c = sup('supervisord/supervisord-killed.log', 'webapp').details.crashes;
    assert.equal(c?.sigkilledAt.length, 2);
    assert.ok((c?.pids.length ?? 0) >= 3, 'every spawned pid');
  });

  it("another program's lines are not the app's", () => {
    assert.equal(sup('supervisord/supervisord-crash-loop.log', 'moneymind').details.crashes?.exits, 0);
  });

  it('an unreadable supervisord log is said', () => {
    const out = evaluateLogs(
      '@@now\n2026-12-01 01:02:00 +0000\n@@log\n\n@@supervisord\n@@supervisord-log /var/log/supervisor/supervisord.log\n' +
        "tail: cannot open '/var/log/supervisor/supervisord.log' for reading: Permission denied\n",
      { logFile: '/x.log', service: 'moneymind', manager: 'supervisor' },
      T,
    );
    assert.equal(out.details.crashes, null);
    assert.match(out.summary, /supervisord log: cannot open .*Permission denied \(make it readable by the bot's user\)/);
  });
});
