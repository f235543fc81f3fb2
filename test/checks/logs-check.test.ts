import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLogs, logsProbeCommand, windowStart } from '../../src/checks/logs-check.js';
import { countOomKills, logCounts, parseAppLog, parseJournal } from '../../src/checks/parse-app-log.js';
import { loadConfig } from '../../src/config/load-config.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';

// The host's clock when the fixture logs were captured (fixtures/README.md).
const NOW = '2026-11-25 22:09:56';
const app = { logFile: '/opt/moneymind/logs/moneymind.log', service: 'moneymind' };
const output = (log: string, now = NOW) => `@@now\n${now}\n@@log\n${log}`;

describe('app log parser on a real Flask/Waitress/SQLAlchemy log', () => {
  it('counts the runbook signatures, including causes only named at the end of a traceback', () => {
    const sig = logCounts(parseAppLog(fixture('moneymind-log-broken.log'), '2026-11-25 21:00:00'));
    assert.equal(sig.errors, 9);
    assert.equal(sig.goneAway, 2);
    assert.equal(sig.lostConnection, 3, '2 health checks + "Exception on /report" whose traceback ends in 2013');
    assert.equal(sig.cantConnect, 2);
    assert.equal(sig.tooManyConnections, 2);
    assert.equal(sig.queueDepthWarnings, 12);
    assert.equal(sig.maxQueueDepth, 11);
    assert.ok(sig.tracebacks >= 9);
    assert.equal(sig.lastErrors.length, 9);
    assert.match(sig.lastErrors.at(-1) ?? '', /^2026-11-25 22:09:47 ERROR: Health check failed: .*2003/);
  });

  it('keeps only entries inside the window', () => {
    const since = windowStart('2026-11-25 22:09:00', 60_000); // 22:08:00
    const sig = logCounts(parseAppLog(fixture('moneymind-log-broken.log'), since));
    assert.equal(sig.goneAway, 0);
    assert.equal(sig.tooManyConnections, 2);
  });

  it('a healthy log has nothing to report', () => {
    const out = evaluateLogs(output(fixture('moneymind-log-healthy.log')), app, thresholds());
    assert.equal(out.status, 'ok');
    assert.equal(out.summary, 'no errors in 15 min');
  });

  it('the broken log fails with the top signature in the summary', () => {
    const out = evaluateLogs(output(fixture('moneymind-log-broken.log'), '2026-11-25 22:10:00'), app, thresholds());
    assert.equal(out.status, 'fail');
    assert.equal(out.summary, '9 errors in 15 min, 12× "Task queue depth" (max 11)');
    assert.ok(out.evidence.some((e) => e.startsWith('2× "MySQL server has gone away" (2006)')));
  });

  it('an unreadable log file is a warning that says why', () => {
    const out = evaluateLogs(
      `@@now\n${NOW}\n@@log\ntail: cannot open '/x.log' for reading: Permission denied\n@@log-failed\n`,
      { logFile: '/x.log' },
      thresholds(),
    );
    assert.equal(out.status, 'warn');
    assert.match(out.summary, /^cannot read \/x\.log: .*Permission denied — make it readable by the bot's user \(e\.g\. chgrp adm \/x\.log; chmod 0640/);
    assert.match(out.evidence[0] ?? '', /^cannot read \/x\.log/);
  });

  it('an unreadable log stays first in the summary even when the journal has lines, never "no errors"', () => {
    const journal = '2026-11-25T22:05:32+0000 web1 python3[812]: serving';
    const out = evaluateLogs(
      `@@now\n${NOW}\n@@log\ntail: cannot open '/x.log' for reading: Permission denied\n@@log-failed\n@@journal\n${journal}\n`,
      { logFile: '/x.log' },
      thresholds(),
    );
    assert.equal(out.status, 'warn');
    assert.match(out.summary, /^cannot read \/x\.log: .*Permission denied — .*; journal: no errors in 15 min$/);
  });

  it('a missing log file points at app.logFile', () => {
    const out = evaluateLogs(
      `@@now\n${NOW}\n@@log\ntail: cannot open '/x.log' for reading: No such file or directory\n@@log-failed\n`,
      { logFile: '/x.log' },
      thresholds(),
    );
    assert.match(out.summary, /No such file or directory — check app\.logFile/);
  });

  it('windowStart crosses midnight and month ends in naive local time', () => {
    assert.equal(windowStart('2026-12-01 00:05:00', 15 * 60_000), '2026-11-30 23:50:00');
    assert.equal(windowStart('garbage', 1000), '0000-00-00 00:00:00');
  });

  it('journal lines use the level inside the message', () => {
    const j = parseJournal(
      '2026-11-25T22:05:31+0000 web1 python3[812]: 2026-11-25 22:05:31,716 ERROR: Health check failed: (2006, "MySQL server has gone away")\n' +
        '2026-11-25T22:05:32+0000 web1 python3[812]: serving',
    );
    assert.deepEqual(
      j.map((e) => e.level),
      ['ERROR', 'INFO'],
    );
    assert.equal(logCounts(j).goneAway, 1);
  });

  it('counts one OOM kill per victim line', () => {
    // Kernel format (journalctl -k); no OOM can be produced on this machine, so this one line is written by hand.
    assert.equal(countOomKills('Nov 25 10:00:00 web1 kernel: Out of memory: Killed process 812 (python3) total-vm:2048000kB'), 1);
    assert.equal(countOomKills('Nov 25 10:00:00 web1 kernel: python3 invoked oom-killer: gfp_mask=0x0'), 0);
  });

  it('the command is bounded and quotes config values; journal only with systemd', () => {
    const base = loadConfig({}, undefined).hosts[0]!.app;
    const cmd = logsProbeCommand({ ...base, logFile: "/var/log/it's.log", manager: 'supervisor' }, thresholds());
    assert.match(cmd, /tail -n 5000 -- '\/var\/log\/it'\\''s\.log'/);
    assert.doesNotMatch(cmd, /journalctl/);
    assert.match(logsProbeCommand({ ...base, manager: 'systemd' }, thresholds()), /journalctl -u 'moneymind' --since '-15min'/);
  });
});

describe('journal: real journalctl -u output', () => {
  // systemd 252 in a test namespace: a service's own lines and systemd's lines about it (kill -9,
  // scheduled restarts), -o short-iso.
  const entries = parseJournal(fixture('systemd/journalctl-u-moneymind.txt'));
  it('every line is an entry, with its ISO time', () => {
    assert.equal(entries.length, fixture('systemd/journalctl-u-moneymind.txt').trim().split('\n').length);
    assert.equal(entries[0]!.at, '2026-11-26 03:18:12');
    assert.match(entries[0]!.message, /^Serving HTTP on 127\.0\.0\.1 port 5071/);
  });
  it("systemd's own lines about the unit are kept as messages", () => {
    assert.ok(entries.some((e) => e.message === 'moneymind.service: Main process exited, code=killed, status=9/KILL'));
  });
});
