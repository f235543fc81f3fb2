import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderReport } from '../../src/cli/render-text.js';
import type { HostReport } from '../../src/engine/host-report.js';

const report: HostReport = {
  name: 'prod-1',
  ok: false,
  status: 'fail',
  durationMs: 412,
  checks: [
    { id: 'health', status: 'fail', summary: 'GET /health → 500 in 12 ms: (2006, "MySQL server has gone away")', durationMs: 12, details: null, evidence: [] },
    { id: 'db', status: 'warn', summary: 'reachable in 3 ms · wait_timeout 600 s < 2 × pool_recycle 3600 s · 14/151 connections', durationMs: 5, details: null, evidence: [] },
    { id: 'port', status: 'ok', summary: ':5070 listening', durationMs: 4, details: null, evidence: [] },
  ],
  causes: [
    { id: 'db-connection-dropped', severity: 'critical', title: 'MySQL drops idle connections after 600 s but the app recycles them only after 3600 s.', evidence: ['35× "MySQL server has gone away" (2006) in 15 min'], advice: 'Set pool_recycle ≤ 300 and pool_pre_ping=True. A restart clears it for a while.', restartHelps: true },
    { id: 'disk-full', severity: 'critical', title: 'Disk / 95 % full.', evidence: [], advice: 'Free space.', restartHelps: false },
  ],
};

describe('renderReport', () => {
  it('prints the runbook example layout without colour off a TTY', () => {
    assert.equal(
      renderReport(report, { color: false }),
      [
        'prod-1  ✗ UNHEALTHY  (checked in 0.4 s)',
        '  health     ✗  GET /health → 500 in 12 ms: (2006, "MySQL server has gone away")',
        '  database   ⚠  reachable in 3 ms · wait_timeout 600 s < 2 × pool_recycle 3600 s · 14/151 connections',
        '  port       ✓  :5070 listening',
        'likely cause: db-connection-dropped — MySQL drops idle connections after 600 s but the app recycles them only after 3600 s. Set pool_recycle ≤ 300 and pool_pre_ping=True. A restart clears it for a while.',
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
