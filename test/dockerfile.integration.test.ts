import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runOk } from './support/proc.js';

/*
 * What `npm test` can check of the Dockerfile without a container runtime: every file it copies
 * exists, and the production build it runs yields the file its CMD starts, which then runs
 * (terminal mode, end of input: exit 0). The image itself is built and run by
 * scripts/image-smoke.sh (podman or docker; not part of npm test).
 */
const root = new URL('..', import.meta.url).pathname;
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

describe('Dockerfile, without a container runtime (scripts/image-smoke.sh builds and runs the image)', () => {
  it('copies only files that exist, runs as a non-root user, and has a HEALTHCHECK on /healthz', () => {
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    assert.ok(sources.length >= 4);
    for (const s of sources) assert.ok(existsSync(join(root, s)), `${s} is copied but missing`);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^HEALTHCHECK .*\n.*\/healthz/m);
    assert.match(dockerfile, /npm prune --omit=dev/);
  });

  it('its build produces dist/main.js, and that runs', async () => {
    // Inside the checkout (.tmp/ is ignored) so the build finds node_modules as it would in /app.
    mkdirSync(join(root, '.tmp'), { recursive: true });
    const out = mkdtempSync(join(root, '.tmp', 'build-'));
    const cwd = mkdtempSync(join(tmpdir(), 'mm-run-'));
    try {
      await runOk(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(out, 'dist')], {
        timeoutMs: 120_000,
      });
      assert.match(dockerfile, /^CMD \["node", "dist\/main\.js"\]$/m);
      assert.ok(existsSync(join(out, 'dist/main.js')));
      const ran = await runOk(process.execPath, [join(out, 'dist/main.js')], {
        timeoutMs: 30_000,
        cwd,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'warn' },
        input: 'hosts\n',
      });
      assert.match(ran.stdout, /terminal mode \(1 host from built-in defaults/);
    } finally {
      rmSync(out, { recursive: true, force: true });
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
