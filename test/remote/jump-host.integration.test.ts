import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Config, HostConfig } from '../../src/config/types.js';
import { checkHost } from '../../src/engine/check-host.js';
import { checkHosts } from '../../src/engine/check-hosts.js';
import { OpsError } from '../../src/errors.js';
import { createLogger } from '../../src/log/create-logger.js';
import { SshTransport } from '../../src/remote/ssh-transport.js';
import { TransportPool } from '../../src/remote/transport-pool.js';
import { Store } from '../../src/store/store.js';
import { jumpKey } from '../../src/watch/observe.js';
import { runCycle, WATCH_IDS } from '../../src/watch/watch-cycle.js';
import { runCli } from '../../src/cli/run-cli.js';
import { testConfig, writeConfigFile } from '../support/config.js';
import { createNetNs, type NetNs } from '../support/netns.js';
import { startSshd, type SshdHandle } from '../support/sshd.js';
import { isRoot } from '../support/test-user.js';
import { startTestHost, type TestHost } from '../support/test-host.js';
import { TEST_THRESHOLDS } from '../support/test-thresholds.js';

/*
 * Jump hosts (ssh.jumpHost) against real OpenSSH servers. The bastion's sshd runs in a network
 * namespace of its own (netns.ts), joined to the test's by a veth pair; the target (sshd + the
 * stand-in app under supervisord) listens on the root side of that pair and lets its user in only
 * from the bastion's address. So a direct login from the test process is refused, and a check that
 * passes went through the bastion — its sshd log says from which address it came.
 */
const log = createLogger({ level: 'silent' });
let ns: NetNs;
let bastion: SshdHandle;
let target: TestHost;
let dir: string;
const pools: TransportPool[] = [];

const skip = isRoot() ? false : 'needs root (ip netns, a second sshd)';

function jumpHost(over: object = {}): object {
  return {
    name: 'bastion',
    host: bastion.host,
    port: bastion.port,
    username: bastion.user,
    privateKeyPath: bastion.privateKeyPath,
    hostKey: bastion.hostKeyFingerprint,
    readyTimeout: '3s',
    ...over,
  };
}

function config(hosts: object[], jump: object = {}, watch: object = {}, thresholds: object = {}): Config {
  return testConfig(
    {
      jumpHosts: [jumpHost(jump)],
      hosts,
      thresholds: { ...TEST_THRESHOLDS, ...thresholds },
      watch: { store: join(dir, `${Math.random().toString(36).slice(2)}.db`), ...watch },
    },
    target.env,
  );
}
const behind = (name: string, ssh: object = {}) => target.hostConfig(name, { ssh: { jumpHost: 'bastion', readyTimeout: '3s', ...ssh } });

function newPool(): TransportPool {
  const p = new TransportPool(log);
  pools.push(p);
  return p;
}
const accepted = (sshd: SshdHandle): string[] =>
  readFileSync(join(sshd.dir, 'sshd.log'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('Accepted publickey'));
const status = (h: HostConfig, pool: TransportPool, cfg: Config) => checkHost(h, pool.get(h), cfg.thresholds, { now: Date.now(), ids: WATCH_IDS });

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'mm-jump-'));
  ns = await createNetNs();
  bastion = await startSshd({ enter: ns.enter, listenAddress: ns.inside });
  target = await startTestHost({ sshd: { listenAddress: ns.outside, allowFrom: ns.inside } });
});
after(async () => {
  await Promise.allSettled(pools.map((p) => p.closeAll()));
  await target?.stop();
  await bastion?.destroy();
  await ns?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('jump hosts (ssh.jumpHost) against real sshds', { skip, timeout: 180_000 }, () => {
  it('the target refuses a direct login; through the bastion the status passes and the target logs the bastion as the source', async () => {
    const cfg = config([behind('prod-1')]);
    const direct = new SshTransport({ ...cfg.hosts[0]!.ssh!, jump: undefined }, log);
    try {
      await assert.rejects(direct.exec('true', { timeoutMs: 5000, maxBytes: 1024 }), (e: unknown) => {
        assert.ok(e instanceof OpsError);
        assert.equal(e.code, 'SSH_AUTH', e.message);
        return true;
      });
    } finally {
      await direct.close();
    }
    const refused = `User ${target.sshd.user} from ${ns.outside} not allowed because not listed in AllowUsers`;
    assert.ok(readFileSync(join(target.sshd.dir, 'sshd.log'), 'utf8').includes(refused), 'the target refused the direct login');

    const before = accepted(target.sshd).length;
    const pool = newPool();
    const r = await status(cfg.hosts[0]!, pool, cfg);
    assert.equal(r.status, 'ok', JSON.stringify(r.checks.map((c) => `${c.id} ${c.status} ${c.summary}`)));
    assert.deepEqual(r.causes, []);
    assert.equal(r.jumpHost, 'bastion');
    const logins = accepted(target.sshd).slice(before);
    assert.equal(logins.length, 1, logins.join('\n'));
    assert.match(logins[0]!, new RegExp(`from ${ns.inside.replaceAll('.', '\\.')} `), 'the login came from the bastion');
  });

  it("scan --jump: the target's host key as the bastion reaches it, over one bastion login", async () => {
    const file = writeConfigFile(join(dir, 'scan.yml'), { jumpHosts: [jumpHost()], hosts: [behind('prod-1')] });
    const before = accepted(bastion).length;
    let out = '';
    const code = await runCli(['scan', `${ns.outside}:${target.sshd.port}`, '--jump', 'bastion', '--config', file], target.env, {
      stdout: (t) => (out += `${t}\n`),
      stderr: (t) => (out += `${t}\n`),
      isTTY: false,
    });
    assert.equal(code, 0, out);
    assert.ok(out.includes(target.sshd.hostKeyFingerprint), out);
    assert.equal(accepted(bastion).length - before, 1, 'the handshakes went through one bastion login');
    let unknown = '';
    const bad = await runCli(['scan', ns.outside, '--jump', 'bastoin', '--config', file], target.env, {
      stdout: () => {},
      stderr: (t) => (unknown += t),
      isTTY: false,
    });
    assert.equal(bad, 2);
    assert.match(unknown, /no jump host "bastoin" in .*scan\.yml — jump hosts: bastion/);
  });

  it('doctor through the bastion: SSH reachable and logged in on both hops, said with the hop', async () => {
    const file = writeConfigFile(join(dir, 'doctor.yml'), { jumpHosts: [jumpHost()], hosts: [behind('prod-1')], thresholds: TEST_THRESHOLDS });
    let out = '';
    await runCli(['doctor', 'prod-1', '--config', file], target.env, { stdout: (t) => (out += `${t}\n`), stderr: (t) => (out += `${t}\n`), isTTY: false });
    assert.match(out, new RegExp(`✓ SSH ${target.sshd.user}@${ns.outside.replaceAll('.', '\\.')}:${target.sshd.port} through jump host bastion \\(`), out);
    assert.match(out, /✓ .*sudo/, out);
  });

  it('20 hosts behind one bastion share ONE bastion connection (one login in its sshd log)', async () => {
    const cfg = config(
      Array.from({ length: 20 }, (_, i) => behind(`app-${i}`)),
      { maxChannels: 20 },
      {},
      // One stand-in app answering twenty /health at once on two cores: slow, which is not the subject here.
      { healthTimeout: '15s', healthSlow: '15s' },
    );
    const bastionBefore = accepted(bastion).length;
    const targetBefore = accepted(target.sshd).length;
    const pool = newPool();
    const reports = await checkHosts(cfg.hosts, (h) => pool.get(h), cfg.thresholds, { now: Date.now, ids: WATCH_IDS, concurrency: 20 });
    for (const r of reports) assert.equal(r.status, 'ok', `${r.name}: ${JSON.stringify(r.checks.map((c) => `${c.id} ${c.status} ${c.summary}`))}`);
    // A second round reuses every connection.
    await checkHosts(cfg.hosts, (h) => pool.get(h), cfg.thresholds, { now: Date.now, ids: ['resources'], concurrency: 20 });
    assert.equal(pool.jumpTransport('bastion')?.connects, 1);
    assert.equal(accepted(bastion).length - bastionBefore, 1, 'one login on the bastion');
    assert.equal(accepted(target.sshd).length - targetBefore, 20, 'one login per host on the target');
    assert.equal(pool.jumpTransport('bastion')?.freeChannels, 0, 'each host holds one bastion channel');
  });

  it('more hosts than the bastion has channels: the one left over says which limit to raise (SSH_CHANNEL, not a bastion outage)', async () => {
    const cfg = config([behind('one', { readyTimeout: '1s' }), behind('two', { readyTimeout: '1s' })], { maxChannels: 1 });
    const pool = newPool();
    await pool.get(cfg.hosts[0]!).exec('true', { timeoutMs: 5000, maxBytes: 1024 });
    await assert.rejects(pool.get(cfg.hosts[1]!).exec('true', { timeoutMs: 5000, maxBytes: 1024 }), (e: unknown) => {
      assert.ok(e instanceof OpsError);
      assert.equal(e.code, 'SSH_CHANNEL', e.message);
      assert.equal(e.jumpHost, undefined);
      assert.match(e.message, /jump host bastion .*all 1 channels are held/);
      assert.match(e.fix ?? '', /jumpHosts\[\]\.maxChannels/);
      return true;
    });
  });

  it("a wrong host key on the bastion names the bastion's hop, the pin and the key received; the diagnosis says bastion-unreachable", async () => {
    const cfg = config([behind('prod-1')], { hostKey: target.sshd.hostKeyFingerprint });
    const r = await status(cfg.hosts[0]!, newPool(), cfg);
    const err = r.checks[0]?.error;
    assert.equal(err?.code, 'SSH_HOSTKEY_MISMATCH');
    assert.equal(err?.jumpHost, 'bastion');
    assert.ok(
      err?.message.startsWith(`jump host bastion (${bastion.user}@${bastion.host}:${bastion.port}): host key of ${bastion.host}:${bastion.port}`),
      err?.message,
    );
    assert.ok(err?.message.includes(`expected ${target.sshd.hostKeyFingerprint}, received ${bastion.hostKeyFingerprint}`), err?.message);
    assert.deepEqual(
      r.causes.map((c) => c.id),
      ['bastion-unreachable'],
    );
  });

  it("a wrong host key on the target names the target (reached through the bastion), not the bastion's hop", async () => {
    const cfg = config([behind('prod-1', { hostKey: bastion.hostKeyFingerprint })]);
    const r = await status(cfg.hosts[0]!, newPool(), cfg);
    const err = r.checks[0]?.error;
    assert.equal(err?.code, 'SSH_HOSTKEY_MISMATCH');
    assert.equal(err?.jumpHost, undefined);
    assert.ok(err?.message.startsWith(`host key of ${ns.outside}:${target.sshd.port} does not match`), err?.message);
    assert.ok(err?.message.includes(`expected ${bastion.hostKeyFingerprint}, received ${target.sshd.hostKeyFingerprint}`), err?.message);
    assert.ok(err?.message.endsWith(`(through jump host bastion (${bastion.user}@${bastion.host}:${bastion.port}))`), err?.message);
    assert.deepEqual(
      r.causes.map((c) => c.id),
      ['host-unreachable'],
    );
  });

  it('bastion killed → the watcher opens ONE bastion incident listing the hosts as unknown, no host incidents; bastion back → resolved', async () => {
    const cfg = config([behind('prod-1'), behind('prod-2'), behind('prod-3')], {}, { failuresToAlert: 1, successesToResolve: 1 });
    const store = new Store(cfg.watch.store);
    const pool = newPool();
    const deps = { config: cfg, store, transportFor: (h: HostConfig) => pool.get(h), log, clock: Date.now, poster: undefined };
    const intents = async () => (await runCycle(deps)).intents.map((i) => `${i.kind} ${i.key}`);
    try {
      assert.deepEqual(await intents(), [], 'healthy: nothing');
      await bastion.stop();
      try {
        const down = await runCycle(deps);
        assert.deepEqual(
          down.intents.map((i) => `${i.kind} ${i.key}`),
          [`open ${jumpKey('bastion')}`],
        );
        for (const r of down.reports) {
          assert.deepEqual(
            r.causes.map((c) => c.id),
            ['bastion-unreachable'],
            r.name,
          );
          assert.match(r.causes[0]!.evidence[0]!, /^jump host bastion \(.*\): cannot connect/);
        }
        const posted = (await store.duePosts(Date.now() + 3_600_000, 100)).map((p) => p.payload).join('\n');
        assert.match(posted, /jump host bastion\*: bastion-unreachable — bastion unreachable: 3 hosts unknown/);
        assert.match(posted, /hosts: prod-1, prod-2, prod-3/);
        // The thread's diagnosis (posted once the parent has its ts) lists them one by one.
        const tracker = (await store.loadTrackers()).find((t) => t.key === jumpKey('bastion'));
        assert.deepEqual(tracker?.hosts, ['prod-1', 'prod-2', 'prod-3']);
        assert.ok(tracker?.affected.includes('prod-2: unknown — not checked while jump host bastion is down'), String(tracker?.affected));
        assert.deepEqual(await intents(), [], 'still down: nothing new, no host incident');
        assert.equal((await store.loadTrackers()).filter((t) => t.key.startsWith('host:')).length, 0, 'no host incident is tracked');
      } finally {
        await bastion.start();
      }
      assert.deepEqual(await intents(), [`resolve ${jumpKey('bastion')}`]);
      assert.equal(pool.jumpTransport('bastion')?.connects, 2, 'the bastion connection was re-opened once');
    } finally {
      await store.close();
    }
  });
});
