import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitSections } from '../../src/checks/sections.js';
import { evaluatePort } from '../../src/checks/port-check.js';
import { evaluateHealth } from '../../src/checks/health-check.js';
import type { AppTarget } from '../../src/config/types.js';
import { healthItem, portItem } from '../../src/doctor/check-items.js';
import { doctorProbeCommand } from '../../src/doctor/doctor-probe.js';
import { evaluateGrants } from '../../src/doctor/evaluate-grants.js';
import { evaluateJournal, evaluateKernelLog, evaluateLogFile, parseId } from '../../src/doctor/evaluate-log-access.js';
import { evaluateSudoRestart, evaluateSudoStatus, sudoersLine } from '../../src/doctor/evaluate-sudo.js';
import { fixture } from '../fixture.js';

/* Each doctor item's evaluator on the real output of its command (test/fixtures/doctor/README.md). */
const CONF = '/etc/supervisor/supervisord.conf';
const LOG = '/tmp/cap/app.log';
const app = (manager: 'systemd' | 'supervisor'): AppTarget => ({
  healthUrl: 'http://127.0.0.1:5070/health',
  port: 5070,
  service: 'moneymind',
  manager,
  supervisorConfig: manager === 'supervisor' ? CONF : undefined,
  logFile: LOG,
  processMatch: 'moneymind',
  poolRecycle: 3600,
});
const probe = (name: string): Map<string, string> => splitSections(fixture(`doctor/probe-${name}.txt`));
const SUP_LINE = `mmtest ALL=(root) NOPASSWD: /usr/bin/supervisorctl -c ${CONF} status moneymind, /usr/bin/supervisorctl -c ${CONF} restart moneymind`;

describe('doctor: the sudoers lines', () => {
  it('are the README lines, filled in from config (supervisor with -c, systemd restart only)', () => {
    assert.equal(sudoersLine(app('supervisor'), 'mmtest'), SUP_LINE);
    assert.equal(sudoersLine(app('systemd'), 'ops'), 'ops ALL=(root) NOPASSWD: /usr/bin/systemctl restart moneymind');
    assert.equal(
      sudoersLine({ ...app('supervisor'), supervisorConfig: undefined }, 'ops'),
      'ops ALL=(root) NOPASSWD: /usr/bin/supervisorctl status moneymind, /usr/bin/supervisorctl restart moneymind',
    );
  });

  for (const [file, manager, mark, line] of [
    [
      'supervisor-allowed',
      'supervisor',
      'pass',
      /^restart allowed by sudoers: sudo -n supervisorctl -c \/etc\/supervisor\/supervisord.conf restart moneymind$/,
    ],
    ['systemd-allowed', 'systemd', 'pass', /^restart allowed by sudoers: sudo -n systemctl restart moneymind$/],
    ['supervisor-status-only', 'supervisor', 'fail', /^restart not allowed for mmtest by sudoers: sudo -n supervisorctl -c \S+ restart moneymind$/],
    ['supervisor-none', 'supervisor', 'fail', /^restart not allowed for mmtest/],
    ['systemd-none', 'systemd', 'fail', /^restart not allowed for mmtest by sudoers: sudo -n systemctl restart moneymind$/],
  ] as const) {
    it(`sudo -n -l of the restart command, ${file}: ${mark}`, () => {
      const a = app(manager);
      const item = evaluateSudoRestart(probe(file).get('sudo-restart'), a, 'mmtest', sudoersLine(a, 'mmtest'));
      assert.equal(item.mark, mark);
      assert.match(item.line, line);
      if (mark === 'fail')
        assert.equal(
          item.fix,
          `add this line to /etc/sudoers.d/moneymind-bot (mode 0440, check with visudo -cf /etc/sudoers.d/moneymind-bot): ${sudoersLine(a, 'mmtest')}`,
        );
      else assert.equal(item.fix, undefined);
    });
  }

  it('sudo -n supervisorctl status refused: the sudoers line', () => {
    const item = evaluateSudoStatus(probe('supervisor-none').get('sudo-status'), app('supervisor'), 'mmtest', SUP_LINE);
    assert.equal(item.mark, 'fail');
    assert.match(item.line, /refused by sudo for mmtest/);
    assert.match(item.fix ?? '', new RegExp(`: ${SUP_LINE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`));
  });

  it('sudo allowed but supervisord not answering: not a sudoers problem, said with its own fix', () => {
    const item = evaluateSudoStatus(probe('supervisor-allowed').get('sudo-status'), app('supervisor'), 'mmtest', SUP_LINE);
    assert.equal(item.mark, 'fail');
    assert.match(item.line, /sudo allows it, but supervisord does not answer \(unix:\/\/\/var\/run\/supervisor.sock no such file\)/);
    assert.match(item.fix ?? '', /systemctl start supervisor/);
  });

  it('a running program (supervisorctl status as the service check reads it): pass', () => {
    const item = evaluateSudoStatus(`${fixture('supervisor-running.txt')}\n@@exit 0`, app('supervisor'), 'mmtest', SUP_LINE);
    assert.equal(item.mark, 'pass', item.line);
  });
});

describe('doctor: logs, journal and kernel log readable', () => {
  it('id -un; id -nG', () => {
    assert.deepEqual(parseId(probe('supervisor-none').get('id')), { user: 'mmtest', groups: ['mmtest'] });
    assert.deepEqual(parseId(probe('systemd-allowed').get('id')), { user: 'mmtest', groups: ['systemd-journal'] });
  });

  for (const [file, mark, line, fix] of [
    ['supervisor-allowed', 'pass', /^log file \/tmp\/cap\/app.log readable by mmtest$/, undefined],
    [
      'supervisor-status-only',
      'fail',
      /^log file \/tmp\/cap\/app.log not readable by mmtest \(-rw------- 1 root root\)$/,
      /chgrp adm \/tmp\/cap\/app.log; chmod 0640/,
    ],
    ['supervisor-none', 'fail', /^log file \/tmp\/cap\/app.log does not exist$/, /set app.logFile/],
  ] as const) {
    it(`test -r LOGFILE, ${file}: ${mark}`, () => {
      const item = evaluateLogFile(probe(file).get('log-file'), LOG, 'mmtest');
      assert.equal(item.mark, mark);
      assert.match(item.line, line);
      if (fix) assert.match(item.fix ?? '', fix);
    });
  }

  it('the journal (systemd): a member of systemd-journal passes; without the group, usermod -aG systemd-journal', () => {
    const ok = probe('systemd-allowed');
    const member = evaluateJournal(ok.get('journal'), parseId(ok.get('id')).groups, 'mmtest', 'moneymind');
    assert.equal(member.mark, 'pass', member.line);
    const none = probe('systemd-none');
    const not = evaluateJournal(none.get('journal'), parseId(none.get('id')).groups, 'mmtest', 'moneymind');
    assert.equal(not.mark, 'fail');
    assert.match(not.line, /mmtest is in mmtest, not systemd-journal or adm/);
    assert.match(not.fix ?? '', /^usermod -aG systemd-journal mmtest/);
  });

  for (const [file, mark, fix] of [
    ['supervisor-allowed', 'pass', undefined],
    ['supervisor-status-only', 'fail', 'usermod -aG adm mmtest'],
    ['supervisor-none', 'unknown', /rsyslog/],
  ] as const) {
    it(`the kernel log, ${file}: ${mark}`, () => {
      const s = probe(file);
      const item = evaluateKernelLog(s.get('kernel'), parseId(s.get('id')).groups, 'mmtest');
      assert.equal(item.mark, mark, item.line);
      if (typeof fix === 'string') assert.equal(item.fix, fix);
      else if (fix) assert.match(item.fix ?? '', fix);
    });
  }
});

describe('doctor: MySQL grants (SHOW GRANTS from MariaDB 10.11)', () => {
  it('PROCESS on *.*: pass', () => {
    const item = evaluateGrants(JSON.parse(fixture('doctor/show-grants-process.json')), 'monitor');
    assert.equal(item.mark, 'pass');
    assert.match(item.line, /MySQL 'monitor'@'127.0.0.1' has PROCESS/);
  });
  it('without PROCESS: the GRANT to run, for the account as MySQL names it', () => {
    const item = evaluateGrants(JSON.parse(fixture('doctor/show-grants-no-process.json')), 'monitor2');
    assert.equal(item.mark, 'fail');
    assert.match(item.line, /lacks PROCESS \(2 grants/);
    assert.equal(item.fix, "GRANT PROCESS ON *.* TO 'monitor2'@'127.0.0.1';");
  });
});

describe('doctor: /health and ss, as the checks read them', () => {
  it('ss as root names the process; as another user the column is empty: still a pass, said', () => {
    const root = portItem(evaluatePort(5070, fixture('ss-tlnp-waitress.txt')), 'ops');
    assert.equal(root.mark, 'pass');
    assert.match(root.line, /process python3 \(pid 5628\)/);
    const other = portItem(evaluatePort(5070, fixture('ss-tlnp-waitress-nonroot.txt')), 'ops');
    assert.equal(other.mark, 'pass');
    assert.match(other.line, /its process is not visible to ops .* no root or capability/);
    const none = portItem(evaluatePort(5070, fixture('ss-tlnp-not-listening.txt')), 'ops');
    assert.equal(none.mark, 'fail');
  });
  it('/health 500: fail, with what to run', () => {
    const t = { healthSlow: 2000, healthTimeout: 5000 };
    const res = { kind: 'response', response: { status: 500, body: fixture('health-500-gone-away.json'), durationMs: 12 } } as const;
    const item = healthItem(evaluateHealth('http://127.0.0.1:5070/health', res, t), 'http://127.0.0.1:5070/health');
    assert.equal(item.mark, 'fail');
    assert.match(item.line, /GET \/health → 500/);
    const ok = { kind: 'response', response: { status: 200, body: fixture('health-200.json'), durationMs: 3 } } as const;
    assert.equal(healthItem(evaluateHealth('http://127.0.0.1:5070/health', ok, t), '').mark, 'pass');
  });
});

describe('doctor: the probe is a fixed template', () => {
  it('config values are single-quoted; sudo -n -l asks for exactly the restart command', () => {
    const cmd = doctorProbeCommand({ ...app('supervisor'), service: "x'; rm -rf /", logFile: '/var/log/a b.log' });
    assert.match(cmd, /sudo -n -l supervisorctl -c '\/etc\/supervisor\/supervisord.conf' restart 'x'\\''; rm -rf \/' 2>&1/);
    assert.match(cmd, /test -r '\/var\/log\/a b.log'/);
    assert.doesNotMatch(doctorProbeCommand(app('systemd')), /supervisorctl/);
    assert.match(doctorProbeCommand(app('systemd')), /journalctl -u 'moneymind' -n 0 --no-pager/);
  });
});
