import assert from 'node:assert/strict';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isAlive } from './proc.js';
import { startSystemdNs } from './systemd-ns.js';

/* The harness must leave the machine as it found it: no systemd, no cgroups, /tmp untouched. */
describe('systemd test namespace', () => {
  it('starts only the given units, and stop() leaves no process, cgroup or temp dir behind', async () => {
    const marker = `/tmp/mm-systemd-ns-marker-${process.pid}`;
    writeFileSync(marker, 'systemd-tmpfiles would remove this');
    const ns = await startSystemdNs({ units: { 'mm-demo.service': '[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/sleep 600\n' } });
    try {
      assert.equal((await ns.systemctl('is-active', 'mm-demo')).stdout.trim(), 'active');
      // The machine's own enabled services exist as units but must not run in there.
      assert.notEqual((await ns.systemctl('is-active', 'ssh')).stdout.trim(), 'active');
      assert.notEqual((await ns.systemctl('is-active', 'mariadb')).stdout.trim(), 'active');
      // tmpfiles' "D /tmp" (wipe) is masked: /tmp still has what it had.
      assert.ok(existsSync(marker), '/tmp was cleaned by the namespace');
    } finally {
      await ns.stop();
      rmSync(marker, { force: true });
    }
    assert.equal(isAlive(ns.pid), false);
    assert.equal(existsSync(ns.dir), false);
    const left = ['systemd', 'unified'].flatMap((h) => readdirSync(`/sys/fs/cgroup/${h}`).filter((d) => d.startsWith(`mm-test-${process.pid}-`)));
    assert.deepEqual(left, []);
  });
});
