import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../src/cli/run-cli.js';
import { createLogger } from '../../src/log/create-logger.js';
import { SshTransport } from '../../src/remote/ssh-transport.js';
import { restartShellCommand } from '../../src/restart/restart-policy.js';
import { testConfig, writeConfigFile } from '../support/config.js';
import { waitUntil } from '../support/proc.js';
import { startSystemdTestHost, type SystemdTestHost } from '../support/systemd-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * The systemd side of the bot against a real systemd (PID 1 of a test namespace): the service
 * check's `systemctl show` as the unprivileged SSH user, the unit's journal in the logs check,
 * crashes and automatic restarts, a stopped unit, a missing one, and the restart command template
 * through the exact sudoers rule the README gives.
 */
let host: SystemdTestHost;
let dir: string;
const log = createLogger({ level: 'silent' });

const doc = (over: object = {}) => ({ hosts: [host.hostConfig('sd-1', { app: { poolRecycle: 300 }, ...over })], thresholds: TEST_THRESHOLDS });
/** The CLI reads its config from a file, as it would on a real machine. */
const config = (over: object = {}): string => writeConfigFile(join(dir, `c${Math.random().toString(36).slice(2)}.yml`), doc(over));
type Report = {
  hosts: {
    ok: boolean;
    status: string;
    checks: { id: string; status: string; summary: string; details: Record<string, unknown> | null }[];
    causes: { id: string }[];
  }[];
};
async function status(args: string[] = ['status', 'sd-1'], over: object = {}) {
  let stdout = '';
  const code = await runCli([...args, '--config', config(over), '--json'], host.env, { stdout: (t) => (stdout += t), stderr: () => {}, isTTY: false }, log);
  const report = JSON.parse(stdout) as Report;
  const check = (id: string) => report.hosts[0]!.checks.find((c) => c.id === id)!;
  return { code, report, check };
}
const show = async (prop: string) => (await host.systemd.systemctl('show', 'moneymind', `--property=${prop}`, '--value')).stdout.trim();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mm-sd-'));
  host = await startSystemdTestHost({ withDb: true });
});
after(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a host run by a real systemd', () => {
  it('healthy: systemctl show as the SSH user, exit 0', async () => {
    const r = await status();
    assert.equal(r.code, 0, JSON.stringify(r.report, null, 1));
    assert.match(r.check('service').summary, /^systemd moneymind active \(running\) (for \d+ s|just started), 0 restarts$/);
    assert.equal(r.check('service').details!.pid, Number(await show('MainPID')));
    // The journal section ran as the user (in systemd-journal there): a number, not null.
    assert.equal(typeof r.check('logs').details!.journalEntries, 'number');
  });

  it('a crash (kill -9): auto-restart pending is a warning; once back, the restart is counted', async () => {
    await host.killMain('KILL');
    await waitUntil('systemd to notice', async () => ((await show('SubState')) === 'auto-restart' ? true : undefined), { timeoutMs: 5000, intervalMs: 20 });
    const during = await status(['check', 'service', 'sd-1']);
    assert.equal(during.check('service').status, 'warn');
    assert.match(during.check('service').summary, /activating \(auto-restart\), result signal/);
    await waitUntil('moneymind back', async () => ((await show('SubState')) === 'running' ? true : undefined), { timeoutMs: 10_000, intervalMs: 50 });
    await waitUntil('health back', async () => ((await status(['check', 'health', 'sd-1'])).code === 0 ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
    const back = await status(['check', 'service', 'sd-1']);
    assert.equal(back.check('service').status, 'ok');
    assert.match(back.check('service').summary, /, 1 restart$/);
    // systemd's own lines about the kill and the restart are in the unit's journal, read over SSH.
    const logs = (await status(['check', 'logs', 'sd-1'])).check('logs');
    assert.ok((logs.details!.journalEntries as number) >= 2, JSON.stringify(logs.details));
    // …read as JSON: systemd's words about the kill are a crash event, not an app error.
    const crashes = logs.details!.crashes as { exits: number; lastExit: string | null; manager: string };
    assert.equal(crashes.manager, 'systemd');
    assert.ok(crashes.exits >= 1, JSON.stringify(crashes));
    assert.equal(crashes.lastExit, 'Main process exited, code=killed, status=9/KILL');
  });

  it('killed again and again: crash-loop, from the unit journal read over SSH', async () => {
    const running = async (not?: string) => {
      const pid = await show('MainPID');
      return (await show('SubState')) === 'running' && pid !== '0' && pid !== not ? pid : undefined;
    };
    for (let i = 0; i < 2; i++) {
      const pid = await waitUntil('running', () => running(), { timeoutMs: 10_000, intervalMs: 50 });
      await host.killMain('KILL');
      await waitUntil('restarted', () => running(pid), { timeoutMs: 10_000, intervalMs: 50 });
    }
    const r = await status(['check', 'logs', 'sd-1']);
    const logs = r.check('logs');
    assert.ok((logs.details!.crashes as { exits: number }).exits >= 3, JSON.stringify(logs.details!.crashes));
    assert.match(
      String((logs.details!.signals as Record<string, { evidence: string }>)['crash-loop']?.evidence),
      /^\d+ unexpected exits in 15 min \(last: "Main process exited, code=killed, status=9\/KILL"\); restart counter at \d+/,
    );
    assert.ok(
      r.report.hosts[0]!.causes.some((c) => c.id === 'crash-loop'),
      JSON.stringify(r.report.hosts[0]!.causes),
    );
    // Three starts within seconds count against StartLimitBurst: clear them for the tests after.
    await host.systemd.systemctl('reset-failed', 'moneymind');
    await waitUntil('health back', async () => ((await status(['check', 'health', 'sd-1'])).code === 0 ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
  });

  it('stopped: service-down leads the diagnosis, exit 1; started again it is healthy', async () => {
    await host.systemd.systemctl('stop', 'moneymind');
    try {
      const r = await status();
      assert.equal(r.code, 1);
      assert.match(r.check('service').summary, /^systemd moneymind inactive \(dead\)/);
      assert.equal(r.report.hosts[0]!.causes[0]!.id, 'service-down');
    } finally {
      await host.systemd.systemctl('start', 'moneymind');
    }
    await waitUntil('health back', async () => ((await status(['check', 'health', 'sd-1'])).code === 0 ? true : undefined), {
      timeoutMs: 20_000,
      intervalMs: 200,
    });
  });

  it('a unit that does not exist is named as such (systemctl show exits 0 for it)', async () => {
    const r = await status(['check', 'service', 'sd-1'], { app: { service: 'moneymind-nosuch', poolRecycle: 300 } });
    assert.equal(r.check('service').status, 'fail');
    assert.equal(r.check('service').summary, 'systemd unit moneymind-nosuch not found');
  });

  it("the restart command template runs through the README's sudoers line and systemd restarts the unit", async () => {
    const cfg = testConfig(doc(), host.env);
    const h = cfg.hosts[0]!;
    const t = new SshTransport(h.ssh!, log);
    try {
      const before = await show('MainPID');
      const res = await t.exec(restartShellCommand(h.app), { timeoutMs: 30_000, maxBytes: 64 * 1024 });
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.notEqual(await show('MainPID'), before);
      assert.equal(await show('NRestarts'), '0'); // a manual restart resets systemd's counter
      // Anything else through sudo is refused: the rule allows exactly this one command.
      const other = await t.exec('sudo -n systemctl stop moneymind', { timeoutMs: 10_000, maxBytes: 64 * 1024 });
      assert.notEqual(other.code, 0);
      assert.equal(await show('ActiveState'), 'active');
    } finally {
      await t.close();
    }
  });
});
