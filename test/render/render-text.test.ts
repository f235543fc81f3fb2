import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport } from '../../src/render/render-text.js';
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
