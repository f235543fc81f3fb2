import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { silentLog } from '../../src/log/run-log.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import { RestartService } from '../../src/restart/restart-service.js';
import { Store } from '../../src/store/store.js';
import { testConfig } from '../support/config.js';

/*
 * A replica starting up reports restarts left running as abandoned (never re-run). With another
 * replica alive, one that started less than commandTimeout + verifyTimeout + 1 min ago may be that
 * replica's, in progress: it is left alone until older. On the real SQLite store.
 */
const dir = mkdtempSync(join(tmpdir(), 'mm-recover-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const MIN = 60_000;
const config = testConfig({ hosts: [{ name: 'prod-1', transport: 'local' }], restart: { commandTimeout: '30s', verifyTimeout: '60s' } });

async function running(store: Store, id: string, at: number): Promise<void> {
  await store.restarts.create({
    id,
    host: 'prod-1',
    command: 'sudo -n systemctl restart moneymind',
    requestedBy: 'U0BOB0001',
    now: at,
    expiresAt: at + 5 * MIN,
  });
  assert.equal((await store.restarts.begin(id, 'U0ALICE01', at, 10)).ok, true);
}

function service(store: Store, now: number, othersLive: boolean): RestartService {
  return new RestartService({
    config,
    ledger: store.restarts,
    transportFor: () => new LocalTransport(),
    checkHosts: async () => [],
    log: silentLog,
    clock: () => now,
    othersLive: async () => othersLive,
  });
}

describe('recovery of running restarts with replicas', () => {
  it('another replica alive: a young running restart is left alone, an old one is abandoned', async () => {
    const store = new Store(join(dir, 'a.db'));
    try {
      const now = 100 * MIN;
      await running(store, 'young', now - MIN);
      assert.deepEqual(await service(store, now, true).recover(), [], 'may be the other replica’s, running now');
      assert.equal((await store.restarts.get('young'))?.state, 'running');
      // 30 s + 60 s + 1 min later it cannot be running anywhere any more.
      const later = now + 3 * MIN;
      assert.deepEqual(
        (await service(store, later, true).recover()).map((r) => r.id),
        ['young'],
      );
      assert.equal((await store.restarts.get('young'))?.state, 'abandoned');
    } finally {
      await store.close();
    }
  });

  it('no other replica alive (a single bot): every running restart at startup is abandoned at once', async () => {
    const store = new Store(join(dir, 'b.db'));
    try {
      const now = 100 * MIN;
      await running(store, 'fresh', now - 1000);
      assert.deepEqual(
        (await service(store, now, false).recover()).map((r) => r.id),
        ['fresh'],
      );
    } finally {
      await store.close();
    }
  });
});
