/**
 * The sudoers drop-ins of killed test runs do not outlive them (sudoers.ts, sweepOrphans).
 * Needs root: it writes to /etc/sudoers.d (comment-only files, which grant nothing).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { it } from 'node:test';
import { sweepOrphans } from './sudoers.js';

const root = process.getuid?.() === 0;

it('removes the drop-ins of test processes that are gone, and keeps those of live ones', { skip: root ? false : 'needs root' }, async () => {
  const gone = spawn('true');
  await once(gone, 'exit');
  const live = spawn('sleep', ['30']);
  const files = [`/etc/sudoers.d/moneymind-test-${gone.pid}-0badc0de`, `/etc/sudoers.d/moneymind-test-${live.pid}-0badc0de`];
  try {
    for (const f of files) writeFileSync(f, '# test/support/sudoers.integration.test.ts: a comment, no rule\n', { mode: 0o440 });
    sweepOrphans();
    assert.deepEqual(
      files.map((f) => existsSync(f)),
      [false, true],
    );
  } finally {
    live.kill('SIGKILL');
    for (const f of files) rmSync(f, { force: true });
  }
});
