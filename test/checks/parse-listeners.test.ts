import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluatePort } from '../../src/checks/port-check.js';
import { parseProcNetTcp, parseSsListen } from '../../src/checks/parse-listeners.js';
import { fixture } from '../fixture.js';

describe('port check on real ss / /proc/net/tcp output', () => {
  const table: { file: string; port: number; listening: boolean; process?: string; addresses?: string[] }[] = [
    { file: 'ss-tlnp-listening.txt', port: 5070, listening: true, process: 'python3', addresses: ['127.0.0.1', '[::]'] },
    // 50700 and 15070 contain "5070": only the exact port may match.
    { file: 'ss-tlnp-not-listening.txt', port: 5070, listening: false },
    { file: 'ss-tlnp-waitress-nonroot.txt', port: 5070, listening: true },
    { file: 'ss-tlnp-listening.txt', port: 15070, listening: true, addresses: ['*'] },
    { file: 'ss-tlnp-listening.txt', port: 22, listening: true, process: 'sshd' },
  ];
  for (const row of table) {
    it(`${row.file} :${row.port} → ${row.listening ? 'listening' : 'not listening'}`, () => {
      const out = evaluatePort(row.port, `@@ss\n${fixture(row.file)}`);
      assert.equal(out.details.listening, row.listening);
      assert.equal(out.status, row.listening ? 'ok' : 'fail');
      if (row.process) assert.equal(out.details.listeners.find((l) => l.process)?.process?.name, row.process);
      if (row.addresses)
        assert.deepEqual(
          out.details.listeners.map((l) => l.address),
          row.addresses,
        );
    });
  }

  it('without -p visibility (non-root) there is no process but still a listener', () => {
    const ls = parseSsListen(fixture('ss-tlnp-waitress-nonroot.txt'));
    assert.ok(ls.some((l) => l.port === 5070 && l.process === null));
  });

  it('reads /proc/net/tcp when ss is missing (hex, little-endian addresses)', () => {
    const ls = parseProcNetTcp(fixture('proc-net-tcp-listening.txt'));
    assert.ok(
      ls.some((l) => l.port === 5070 && l.address === '127.0.0.1'),
      JSON.stringify(ls),
    );
    const out = evaluatePort(5070, `@@proc\n${fixture('proc-net-tcp-listening.txt')}`);
    assert.equal(out.details.source, 'proc');
    assert.equal(out.details.listening, true);
  });

  it('no output at all (ss could not run) is unknown, not "not listening"', () => {
    const out = evaluatePort(5070, '@@ss\n');
    assert.equal(out.status, 'unknown');
    assert.match(out.summary, /cannot list listening sockets/);
  });
  it('a header and no sockets is a real "not listening"', () => {
    assert.equal(evaluatePort(5070, '@@ss\nState  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n').status, 'fail');
  });
});
