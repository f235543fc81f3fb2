import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import type { AppTarget } from '../../src/config/types.js';
import { evaluateSupervisor, evaluateSystemd, serviceProbeCommand } from '../../src/checks/service-check.js';
import { parseSupervisorctlStatus, parseSupervisorUptime } from '../../src/checks/parse-supervisorctl-status.js';
import { fixture } from '../fixture.js';

const base = loadConfig({}, undefined).hosts[0]!.app;
const app = (over: Partial<AppTarget>): AppTarget => ({ ...base, ...over });

describe('supervisor: real supervisorctl status output', () => {
  // Exit codes as captured (see fixtures/README.md): 0 running/starting/backoff, 3 stopped/fatal, 4 no such process or no supervisord.
  const table: { file: string; name: string; code: number; status: string; state: string; summary: RegExp }[] = [
    { file: 'supervisor-running.txt', name: 'moneymind', code: 0, status: 'ok', state: 'running', summary: /RUNNING for 9 s/ },
    { file: 'supervisor-stopped.txt', name: 'moneymind', code: 3, status: 'fail', state: 'stopped', summary: /STOPPED/ },
    { file: 'supervisor-fatal.txt', name: 'broken', code: 3, status: 'fail', state: 'failed', summary: /FATAL \(Exited too quickly/ },
    { file: 'supervisor-backoff.txt', name: 'flapping', code: 0, status: 'fail', state: 'failed', summary: /BACKOFF/ },
    { file: 'supervisor-starting.txt', name: 'slowstart', code: 0, status: 'warn', state: 'starting', summary: /STARTING/ },
    { file: 'supervisor-status-all.txt', name: 'moneymind', code: 3, status: 'ok', state: 'running', summary: /RUNNING/ },
    { file: 'supervisor-no-such-process.txt', name: 'nosuchprog', code: 4, status: 'fail', state: 'not-found', summary: /no such process/ },
    // supervisord itself is not answering: the program's state cannot be read (unknown, not down).
    {
      file: 'supervisor-not-running.txt',
      name: 'moneymind',
      code: 4,
      status: 'unknown',
      state: 'unknown',
      summary: /cannot read the state: .*no such file — supervisord is not running/,
    },
    {
      file: 'supervisor-not-running-stale-socket.txt',
      name: 'moneymind',
      code: 4,
      status: 'unknown',
      state: 'unknown',
      summary: /refused connection — supervisord is not running/,
    },
  ];
  for (const row of table) {
    it(`${row.file} → ${row.status} ${row.state}`, () => {
      const out = evaluateSupervisor(app({ manager: 'supervisor', service: row.name }), { stdout: fixture(row.file), code: row.code }, 'ops');
      assert.equal(out.status, row.status);
      assert.equal(out.details.state, row.state);
      assert.match(out.summary, row.summary);
    });
  }

  it('a missing sudoers rule is explained with the line to add', () => {
    const out = evaluateSupervisor(app({ manager: 'supervisor' }), { stdout: 'sudo: a password is required\n', code: 1 }, 'ops');
    assert.equal(out.status, 'unknown', 'the bot may not ask; that says nothing about the app');
    assert.match(out.summary, /ops ALL=\(root\) NOPASSWD: \/usr\/bin\/supervisorctl status moneymind/);
  });

  it('parses pid and uptime', () => {
    assert.deepEqual(parseSupervisorctlStatus(fixture('supervisor-running.txt'), 'moneymind')?.pid, 5089);
    assert.equal(parseSupervisorUptime('pid 1, uptime 3 days, 4:05:06'), 3 * 86400 + 4 * 3600 + 5 * 60 + 6);
    assert.equal(parseSupervisorUptime('pid 1, uptime 1 day, 0:00:01'), 86401);
    assert.equal(parseSupervisorUptime('Not started'), null);
  });

  it('the command is a fixed template with quoted config values, sudo only for supervisorctl', () => {
    assert.equal(
      serviceProbeCommand(app({ manager: 'supervisor', supervisorConfig: '/etc/sup.conf' })),
      "sudo -n supervisorctl -c '/etc/sup.conf' status 'moneymind' 2>&1",
    );
    assert.doesNotMatch(serviceProbeCommand(app({ manager: 'systemd' })), /sudo/);
  });
});

/*
 * Real `systemctl show` output from systemd 252 running as PID 1 of a test namespace
 * (test/support/systemd-ns.ts; test/fixtures/README.md says how each state was made). systemd
 * prints the properties in its own order, MainPID first. The /proc/uptime beside them was not
 * captured: 735.12 s is a value just after the last capture on that boot's monotonic clock.
 */
describe('systemd: real systemctl show output', () => {
  const real = (file: string, uptime = '735.12 1402.33') => ({ stdout: `${fixture(`systemd/${file}`)}@@uptime\n${uptime}\n`, stderr: '', code: 0 });
  const table: [string, 'ok' | 'warn' | 'fail', string, RegExp][] = [
    ['show-running.txt', 'ok', 'running', /^systemd moneymind active \(running\) for 35 s, 0 restarts$/],
    ['show-running-3-restarts.txt', 'ok', 'running', /active \(running\) for 15 s, 3 restarts$/],
    ['show-auto-restart.txt', 'warn', 'starting', /^systemd moneymind activating \(auto-restart\), result signal, 0 restarts$/],
    ['show-stopped.txt', 'fail', 'stopped', /^systemd moneymind inactive \(dead\), 0 restarts$/],
    ['show-failed-start-limit.txt', 'fail', 'failed', /^systemd moneymind failed \(failed\), result signal, 1 restart$/],
    ['show-not-found.txt', 'fail', 'not-found', /^systemd unit moneymind not found$/],
  ];
  for (const [file, status, state, summary] of table) {
    it(`${file} → ${status} ${state}`, () => {
      const out = evaluateSystemd('moneymind', real(file));
      assert.equal(out.status, status);
      assert.equal(out.details.state, state);
      assert.match(out.summary, summary);
    });
  }
  it('the main pid is reported while running and absent once it died', () => {
    assert.equal(evaluateSystemd('moneymind', real('show-running.txt')).details.pid, 115);
    assert.equal(evaluateSystemd('moneymind', real('show-auto-restart.txt')).details.pid, null);
  });
});

/* Hand-made inputs in the same KEY=VALUE format, for states not produced in the namespace (oom-kill). */
describe('systemd: systemctl show properties', () => {
  const show = (props: Record<string, string>, uptime = '350000.00 1.00') => ({
    stdout: `${Object.entries(props)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n')}\n@@uptime\n${uptime}\n`,
    stderr: '',
    code: 0,
  });
  const running = {
    LoadState: 'loaded',
    ActiveState: 'active',
    SubState: 'running',
    Result: 'success',
    NRestarts: '0',
    MainPID: '812',
    ActiveEnterTimestampMonotonic: String((350000 - (3 * 86400 + 4 * 3600)) * 1e6),
  };

  it('active (running) with uptime and restarts, as the runbook example shows', () => {
    const out = evaluateSystemd('moneymind', show(running));
    assert.equal(out.status, 'ok');
    assert.equal(out.summary, 'systemd moneymind active (running) for 3 d 4 h, 0 restarts');
    assert.equal(out.details.pid, 812);
  });
  const table: [Record<string, string>, string, string][] = [
    [{ ...running, ActiveState: 'failed', SubState: 'failed', Result: 'oom-kill', NRestarts: '5', MainPID: '0' }, 'fail', 'failed'],
    [{ ...running, ActiveState: 'inactive', SubState: 'dead' }, 'fail', 'stopped'],
    [{ ...running, ActiveState: 'activating', SubState: 'auto-restart' }, 'warn', 'starting'],
    [{ LoadState: 'not-found', ActiveState: 'inactive', SubState: 'dead' }, 'fail', 'not-found'],
  ];
  for (const [props, status, state] of table) {
    it(`${props.ActiveState}/${props.SubState} (${props.LoadState}) → ${status} ${state}`, () => {
      const out = evaluateSystemd('moneymind', show(props));
      assert.equal(out.status, status);
      assert.equal(out.details.state, state);
    });
  }
  it('oom-kill result and restart count are in the summary', () => {
    const out = evaluateSystemd('moneymind', show(table[0]![0]));
    assert.match(out.summary, /failed \(failed\), result oom-kill, 5 restarts/);
  });
  it("no systemd (this machine): unknown, not down, with systemctl's own message and the fix", () => {
    const out = evaluateSystemd('moneymind', { stdout: '@@uptime\n1.0 1.0\n', stderr: fixture('systemd/show-no-systemd.stderr.txt'), code: 1 });
    assert.equal(out.status, 'unknown');
    assert.equal(out.details.state, 'unknown');
    assert.match(out.summary, /cannot read the state: System has not been booted with systemd .* set app\.manager: supervisor/);
  });
  it('no systemctl at all (exit 127): unknown, with the fix', () => {
    const out = evaluateSystemd('moneymind', { stdout: '@@uptime\n1.0 1.0\n', stderr: fixture('systemd/show-no-systemctl.stderr.txt'), code: 127 });
    assert.equal(out.status, 'unknown');
    assert.match(out.summary, /systemctl: not found — systemctl is not installed here/);
  });
});
