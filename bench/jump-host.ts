/**
 * `node --import tsx bench/jump-host.ts` → `results/jump-host.json`: warm `status` of one host
 * through a jump host beside the same host reached directly, in the same run (interleaved, so the
 * machine's noise hits both alike). The bastion is a second sshd in a network namespace of its own
 * (test/support/netns.ts); the target is the supervisor test host, listening where both the test
 * process and the bastion reach it. Also the first status of each (connect included: for the jump
 * host, two handshakes, the second through the first).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_IDS } from '../src/checks/check-types.js';
import type { HostConfig } from '../src/config/types.js';
import { checkHost } from '../src/engine/check-host.js';
import { createLogger } from '../src/log/create-logger.js';
import { TransportPool } from '../src/remote/transport-pool.js';
import { testConfig } from '../test/support/config.js';
import { createNetNs } from '../test/support/netns.js';
import { startSshd } from '../test/support/sshd.js';
import { startTestHost } from '../test/support/test-host.js';
import { median, round, timed } from './stats.js';

const RUNS = Number(process.env.BENCH_JUMP_RUNS ?? 20);
const log = createLogger({ level: 'silent' });

const ns = await createNetNs();
const bastion = await startSshd({ enter: ns.enter, listenAddress: ns.inside });
const target = await startTestHost({ sshd: { listenAddress: ns.outside } });
const pool = new TransportPool(log);
try {
  const config = testConfig(
    {
      jumpHosts: [
        {
          name: 'bastion',
          host: bastion.host,
          port: bastion.port,
          username: bastion.user,
          privateKeyPath: bastion.privateKeyPath,
          hostKey: bastion.hostKeyFingerprint,
        },
      ],
      hosts: [target.hostConfig('direct'), target.hostConfig('jumped', { ssh: { jumpHost: 'bastion' } })],
      thresholds: { commandTimeout: '20s' },
    },
    target.env,
  );
  const [direct, jumped] = config.hosts as [HostConfig, HostConfig];
  const status = async (h: HostConfig) => {
    const t = await timed(() => checkHost(h, pool.get(h), config.thresholds, { now: Date.now(), ids: CHECK_IDS }));
    if (t.value.status === 'fail') throw new Error(`${h.name}: ${JSON.stringify(t.value.checks.map((c) => c.summary))}`);
    return t.ms;
  };
  const firstDirect = await status(direct);
  const firstJumped = await status(jumped);
  const warm: Record<'direct' | 'jumped', number[]> = { direct: [], jumped: [] };
  for (let i = 0; i < RUNS; i++) {
    warm.direct.push(await status(direct));
    warm.jumped.push(await status(jumped));
  }
  const result = {
    runs: RUNS,
    firstStatusMs: { direct: round(firstDirect), jumped: round(firstJumped) },
    warmMedianMs: { direct: round(median(warm.direct)), jumped: round(median(warm.jumped)) },
    warmRatio: round(median(warm.jumped) / median(warm.direct), 2),
    bastionConnects: pool.jumpTransport('bastion')?.connects,
    samplesMs: { direct: warm.direct.map((x) => round(x)), jumped: warm.jumped.map((x) => round(x)) },
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'jump-host.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify({ ...result, samplesMs: undefined }, null, 2));
} finally {
  await pool.closeAll();
  await target.stop();
  await bastion.destroy();
  await ns.destroy();
}
