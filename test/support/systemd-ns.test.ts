import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isAlive } from './proc.js';
import { startSystemdNs } from './systemd-ns.js';

/* The harness must leave the machine as it found it: no systemd, no cgroups, /tmp untouched. */
describe('systemd test namespace', () => {
  it('starts only the given units, and stop() leaves no process, cgroup or temp dir behind', async () => {
    const marker = `mm-keep-${process.pid}`;
    const tmpBefore = readdirSync('/tmp').length;
    const ns = await startSystemdNs({ units: { 'mm-demo.service': '[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/sleep 600\n' } });
    try {
      assert.equal((await ns.systemctl('is-active', 'mm-demo')).stdout.trim(), 'active');
      // The machine's own enabled services exist as units but must not run in there.
      assert.notEqual((await ns.systemctl('is-active', 'ssh')).stdout.trim(), 'active');
      assert.notEqual((await ns.systemctl('is-active', 'mariadb')).stdout.trim(), 'active');
      // tmpfiles' "D /tmp" (wipe) is masked: /tmp still has what it had.
      assert.ok(readdirSync('/tmp').length >= tmpBefore - 1, marker);
    } finally {
      await ns.stop();
    }
    assert.equal(isAlive(ns.pid), false);
    assert.equal(existsSync(ns.dir), false);
    const left = ['systemd', 'unified'].flatMap((h) => readdirSync(`/sys/fs/cgroup/${h}`).filter((d) => d.startsWith(`mm-test-${process.pid}-`)));
    assert.deepEqual(left, []);
  });
});
