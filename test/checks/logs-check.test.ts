import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLogs, logsProbeCommand, windowStart } from '../../src/checks/logs-check.js';
import { countSignals } from '../../src/checks/log-signals.js';
import { parseHostClock } from '../../src/checks/log-time.js';
import { readAppLog } from '../../src/checks/read-app-log.js';
import { loadConfig } from '../../src/config/load-config.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';

// The host's clock when the fixture logs were captured (fixtures/README.md).
const NOW = '2026-11-25 22:09:56';
const app = { logFile: '/opt/moneymind/logs/moneymind.log', service: 'moneymind' };
const output = (log: string, now = NOW) => `@@now\n${now}\n@@log\n${log}`;

const read = (log: string, now: string) => {
  const c = parseHostClock(now);
  return countSignals(readAppLog(log, c.nowMs, c.offsetMin, 15 * 60_000, null).records, 0);
};

describe('app log parser on a real Flask/Waitress/SQLAlchemy log', () => {
  it('counts the runbook signatures, including causes only named at the end of a traceback', () => {
    const sig = read(fixture('moneymind-log-broken.log'), '2026-11-25 22:10:00');
    assert.equal(sig.errors, 9);
    assert.equal(sig.mysql['gone-away'], 2);
    assert.equal(sig.mysql['lost-connection'], 3, '2 health checks + "Exception on /report" whose traceback ends in 2013');
    assert.equal(sig.mysql['cant-connect'], 2);
    assert.equal(sig.mysql['too-many-connections'], 2);
    assert.equal(sig.queueDepths.length, 12);
    assert.equal(sig.maxQueueDepth, 11);
    assert.ok(sig.tracebacks >= 9);
    assert.equal(sig.lastErrors.length, 9);
    assert.match(sig.lastErrors.at(-1) ?? '', /^2026-11-25 22:09:47 ERROR: Health check failed: .*2003/);
  });

  it('keeps only records inside the window', () => {
    const sig = read(fixture('moneymind-log-broken.log'), '2026-11-25 22:09:00'); // window from 21:54
    assert.equal(sig.mysql['gone-away'], 2);
    const late = countSignals(readAppLog(fixture('moneymind-log-broken.log'), parseHostClock('2026-11-25 22:09:00').nowMs, 0, 60_000, null).records, 0);
    assert.equal(late.mysql['gone-away'], 0);
    assert.equal(late.mysql['too-many-connections'], 2);
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
    const journal = '{"__REALTIME_TIMESTAMP":"1795644332000000","PRIORITY":"6","SYSLOG_IDENTIFIER":"python3","_PID":"812","MESSAGE":"serving"}';
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

  it('the command is bounded and quotes config values; journal only with systemd', () => {
    const base = loadConfig({}, undefined).hosts[0]!.app;
    const cmd = logsProbeCommand({ ...base, logFile: "/var/log/it's.log", manager: 'supervisor' }, thresholds());
    assert.match(cmd, /tail -n 5000 -- '\/var\/log\/it'\\''s\.log'/);
    assert.doesNotMatch(cmd, /journalctl -u/);
    assert.match(cmd, /@@supervisord; .*'\/etc\/supervisor\/supervisord\.conf'/);
    assert.match(logsProbeCommand({ ...base, manager: 'systemd' }, thresholds()), /journalctl -u 'moneymind' --since '-15min'/);
  });
});
