import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport } from '../../src/render/render-text.js';
import { answerBlocks } from '../../src/slack/blocks/answer-blocks.js';
import type { HostReport } from '../../src/engine/host-report.js';
import { cause, check, report as build } from '../support/builders.js';

const report: HostReport = build('prod-1', {
  durationMs: 412,
  checks: [
    check('health', 'fail', 'GET /health → 500 in 12 ms: (2006, "MySQL server has gone away")', { durationMs: 12 }),
    check('db', 'warn', 'reachable in 3 ms · wait_timeout 600 s < 2 × pool_recycle 3600 s · 14/151 connections', { durationMs: 5 }),
    check('port', 'ok', ':5070 listening', { durationMs: 4 }),
  ],
  causes: [
    cause('db-connection-dropped', {
      title: 'MySQL drops idle connections after 600 s but the app recycles them only after 3600 s.',
      evidence: ['35× "MySQL server has gone away" (2006) in 15 min'],
      advice: 'Set pool_recycle ≤ 300 and pool_pre_ping=True. A restart clears it for a while.',
    }),
    cause('disk-full', { title: 'Disk / 95 % full.', advice: 'Free space.', restartHelps: false }),
  ],
});

describe('renderReport', () => {
  it('prints the runbook example layout without colour off a TTY', () => {
    assert.equal(
      renderReport(report, { color: false }),
      [
        'prod-1  ✗ UNHEALTHY  (checked in 0.4 s)',
        '  health     ✗  GET /health → 500 in 12 ms: (2006, "MySQL server has gone away")',
        '  database   ⚠  reachable in 3 ms · wait_timeout 600 s < 2 × pool_recycle 3600 s · 14/151 connections',
        '  port       ✓  :5070 listening',
        'likely cause: db-connection-dropped — MySQL drops idle connections after 600 s but the app recycles them only after 3600 s. ' +
          'Set pool_recycle ≤ 300 and pool_pre_ping=True. A restart clears it for a while.',
        '  · 35× "MySQL server has gone away" (2006) in 15 min',
        '  also: disk-full',
      ].join('\n'),
    );
  });
  it('colours marks only on a TTY', () => {
    const coloured = renderReport(report, { color: true });
    assert.match(coloured, /\x1b\[31m✗ UNHEALTHY\x1b\[0m/);
    assert.match(coloured, /\x1b\[33m⚠\x1b\[0m/);
    assert.doesNotMatch(renderReport(report, { color: false }), /\x1b/);
  });
});

describe('an unreachable host is said once', () => {
  const msg = 'cannot connect to 10.0.0.5:22: connect ECONNREFUSED 10.0.0.5:22 — check the machine is up, sshd runs, and the firewall lets the bot in';
  const dead: HostReport = build('dead-1', {
    status: 'fail',
    checks: (['health', 'service', 'port', 'resources', 'db', 'logs'] as const).map((id) =>
      check(id, id === 'health' ? 'fail' : 'unknown', msg, { error: { code: 'SSH_CONNECT', message: msg } }),
    ),
    causes: [
      cause('host-unreachable', {
        title: 'The bot cannot log in to the host over SSH.',
        evidence: [msg],
        advice: 'Check the machine is up.',
        restartHelps: false,
      }),
    ],
  });

  it('in the terminal: the rows say "not checked", the cause carries the error', () => {
    const text = renderReport(dead, { color: false });
    assert.equal(text.split(msg).length - 1, 1, text);
    assert.equal(text.match(/not checked: the host cannot be reached \(below\)/g)?.length, 6);
  });

  it("in Slack's fields too", () => {
    const json = JSON.stringify(answerBlocks({ kind: 'reports', visibility: 'channel', reports: [dead], detail: false }));
    assert.equal(json.split('ECONNREFUSED').length - 1, 1, json);
    assert.equal(json.match(/not checked: the host cannot be reached \(below\)/g)?.length, 6);
  });

  it('a host that answers keeps each check its own words', () => {
    const text = renderReport(report, { color: false });
    assert.doesNotMatch(text, /not checked/);
  });
});
