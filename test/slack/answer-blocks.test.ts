import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECK_IDS } from '../../src/checks/check-types.js';
import type { Answer } from '../../src/commands/answer.js';
import type { HostReport } from '../../src/engine/host-report.js';
import { answerBlocks, MAX_BLOCKS } from '../../src/slack/blocks/answer-blocks.js';
import { cause, check, report } from '../support/builders.js';

const host = (name: string, status: HostReport['status'], summary = 'ok'): HostReport =>
  report(name, {
    status,
    durationMs: 420,
    checks: CHECK_IDS.map((id) => check(id, status, summary)),
    causes:
      status === 'fail' ? [cause('db-connection-dropped', { title: 'x'.repeat(5000), evidence: ['e'.repeat(5000)], advice: 'Set pool_recycle ≤ 300.' })] : [],
  });
const reports = (list: HostReport[]): Answer => ({ kind: 'reports', visibility: 'channel', reports: list, detail: false });

function assertWithinLimits(msg: ReturnType<typeof answerBlocks>): void {
  assert.ok(msg.text.length > 0, 'fallback text');
  assert.ok(msg.blocks.length <= MAX_BLOCKS, `${msg.blocks.length} blocks`);
  for (const b of msg.blocks as { type: string; text?: { text: string }; fields?: { text: string }[] }[]) {
    if (b.text) assert.ok(b.text.text.length <= 3000, `${b.type} text ${b.text.text.length}`);
    if (b.fields) {
      assert.ok(b.fields.length <= 10);
      for (const f of b.fields) assert.ok(f.text.length <= 2000);
    }
  }
}

describe("Block Kit builders keep to Slack's limits", () => {
  const table: [string, Answer][] = [
    ['one healthy host', reports([host('prod-1', 'ok')])],
    ['one failing host with huge evidence', reports([host('prod-1', 'fail', 'y'.repeat(10_000))])],
    ['50 hosts, all failing', reports(Array.from({ length: 50 }, (_, i) => host(`prod-${i}`, 'fail')))],
    ['50 hosts, mostly healthy', reports(Array.from({ length: 50 }, (_, i) => host(`prod-${i}`, i % 10 ? 'ok' : 'warn')))],
    [
      'huge log lines',
      {
        kind: 'log-lines',
        visibility: 'channel',
        host: 'prod-1',
        lines: Array.from({ length: 50 }, () => 'L'.repeat(5000)),
        report: host('prod-1', 'fail'),
        problem: 'P'.repeat(3000),
      },
    ],
    [
      '200 hosts listed',
      {
        kind: 'hosts',
        visibility: 'ephemeral',
        hosts: Array.from({ length: 200 }, (_, i) => ({
          name: `prod-${i}`,
          address: '10.0.0.1:22',
          service: 'systemd moneymind',
          last: undefined,
          silence: undefined,
        })),
      },
    ],
    ['error', { kind: 'error', visibility: 'ephemeral', message: 'unknown host "x"', fix: 'known hosts: prod-1' }],
  ];
  for (const [name, answer] of table) it(name, () => assertWithinLimits(answerBlocks(answer)));

  it('status answers are for the channel, errors ephemeral; the header shows the worst state', () => {
    const msg = answerBlocks(reports([host('prod-1', 'ok'), host('prod-2', 'fail')]));
    assert.equal(msg.response_type, 'in_channel');
    assert.match(msg.text, /^🔴 1\/2 hosts healthy — likely db-connection-dropped$/);
    assert.equal(answerBlocks(table[6]![1]).response_type, 'ephemeral');
  });

  it('[Refresh] always; [Logs] for a single configured host', () => {
    const one = JSON.stringify(answerBlocks(reports([host('prod-1', 'ok')])).blocks);
    assert.match(one, /"action_id":"refresh".*"value":"prod-1".*"action_id":"logs"/);
    const many = JSON.stringify(answerBlocks(reports([host('a', 'ok'), host('b', 'ok')])).blocks);
    assert.doesNotMatch(many, /"action_id":"logs"/);
  });

  it('50 failing hosts do not fit: the message says what was left out instead of cutting silently', () => {
    const msg = answerBlocks(table[2]![1]);
    assert.match(JSON.stringify(msg.blocks), /and \d+ more blocks: the full answer is attached as a file/);
    assert.equal(msg.overflow, true);
  });

  it('overflow is set exactly when something was shortened, so the adapter attaches the whole answer', () => {
    assert.deepEqual(
      table.map(([name, a]) => [name, answerBlocks(a).overflow]),
      [
        ['one healthy host', false],
        ['one failing host with huge evidence', true],
        ['50 hosts, all failing', true],
        ['50 hosts, mostly healthy', false],
        ['huge log lines', true],
        ['200 hosts listed', false],
        ['error', false],
      ],
    );
  });
});
