import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDelayedNetwork, tcpConnectMs } from './delayed-netns.js';
import { spawnDaemon, terminateTree } from './proc.js';
import { makeTempDir, removeDir } from './tmp.js';

/*
 * The fleet benchmark's simulated distance (bench/fleet-netem.ts): 10 ms each way must show as a
 * TCP handshake of ≥ 18 ms, no delay as a few ms at most (the relay's own hop), and destroy()
 * must leave no namespace or link behind. Medians of a few handshakes, and a lower bound for the
 * delayed one, so that a busy machine (which only adds time) cannot fail the first assertion.
 */
const PORT = 7000; // inside a namespace made for this test: nothing else can listen there

async function handshakes(delayMs: number): Promise<{ medianMs: number; names: string[] }> {
  const net = await createDelayedNetwork(1, { delayMs });
  const dir = makeTempDir('netem-test');
  const ns = net.hosts[0]!;
  const listener = `import socket, signal; s = socket.create_server(("${ns.inside}", ${PORT})); signal.pause()`;
  const server = await spawnDaemon(ns.enter[0]!, [...ns.enter.slice(1), '/usr/bin/python3', '-c', listener], `${dir}/listener.out`);
  try {
    for (let i = 0; ; i++) {
      try {
        await tcpConnectMs(ns.inside, PORT);
        break;
      } catch (err) {
        if (i > 100) throw err; // not listening after ~5 s
        await sleep(50);
      }
    }
    const times: number[] = [];
    for (let i = 0; i < 7; i++) times.push(await tcpConnectMs(ns.inside, PORT));
    times.sort((a, b) => a - b);
    return { medianMs: times[3]!, names: [ns.name] };
  } finally {
    await terminateTree(server.pid, { label: 'listener', graceMs: 2000 });
    await net.destroy();
    removeDir(dir);
  }
}

const namespaces = (): string => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });

describe('delayed network namespace (netem stand-in)', () => {
  it('10 ms each way: a TCP handshake takes at least 18 ms; nothing is left after destroy()', async () => {
    const { medianMs, names } = await handshakes(10);
    assert.ok(medianMs >= 18, `median handshake ${medianMs.toFixed(1)} ms, expected ≥ 18`);
    assert.ok(medianMs < 200, `median handshake ${medianMs.toFixed(1)} ms: the relay is stalling`);
    for (const n of names) assert.ok(!namespaces().includes(n), `namespace ${n} left behind`);
    assert.ok(!execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).includes(`md${process.pid % 100_000}n`), 'a relay link left behind');
  });

  it('no delay: a TCP handshake through the relay takes under 5 ms', async () => {
    const { medianMs } = await handshakes(0);
    assert.ok(medianMs < 5, `median handshake ${medianMs.toFixed(1)} ms, expected < 5`);
  });
});
