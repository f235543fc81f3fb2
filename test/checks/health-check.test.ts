import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateHealth, parseHealthBody } from '../../src/checks/health-check.js';
import { fixture } from '../fixture.js';

const URL_ = 'http://127.0.0.1:5070/health';
const t = { healthSlow: 2000, healthTimeout: 5000 };
const resp = (status: number, body: string, durationMs = 12) => ({ kind: 'response' as const, response: { status, body, durationMs } });

describe('health check on real /health bodies', () => {
  const table: { name: string; probe: Parameters<typeof evaluateHealth>[1]; status: string; outcome: string; summary: RegExp }[] = [
    { name: '200 healthy', probe: resp(200, fixture('health-200.json'), 8), status: 'ok', outcome: 'ok', summary: /^GET \/health → 200 in 8 ms$/ },
    { name: '200 but slow', probe: resp(200, fixture('health-200.json'), 2500), status: 'warn', outcome: 'ok', summary: /slow: over 2 s/ },
    {
      name: '500 gone away (2006)',
      probe: resp(500, fixture('health-500-gone-away.json')),
      status: 'fail',
      outcome: 'http-error',
      summary: /^GET \/health → 500 in 12 ms: \(pymysql\.err\.OperationalError\) \(2006, "MySQL server has gone away/,
    },
    { name: '500 cannot connect (2003)', probe: resp(500, fixture('health-500-cant-connect.json')), status: 'fail', outcome: 'http-error', summary: /2003/ },
    {
      name: '502 from a proxy, HTML body',
      probe: resp(502, '<html>Bad Gateway</html>'),
      status: 'fail',
      outcome: 'http-error',
      summary: /→ 502 .*Bad Gateway/,
    },
    { name: '200 whose body says unhealthy', probe: resp(200, '{"status":"unhealthy","error":"x"}'), status: 'fail', outcome: 'http-error', summary: /: x$/ },
    { name: 'timeout', probe: { kind: 'timeout' }, status: 'fail', outcome: 'timeout', summary: /no answer in 5 s/ },
    {
      name: 'refused',
      probe: { kind: 'refused', message: 'tunnel to 127.0.0.1:5070 refused: Connection refused' },
      status: 'fail',
      outcome: 'refused',
      summary: /connection refused/,
    },
  ];
  for (const row of table) {
    it(`${row.name} → ${row.status}`, () => {
      const out = evaluateHealth(URL_, row.probe, t);
      assert.equal(out.status, row.status);
      assert.equal(out.details.outcome, row.outcome);
      assert.match(out.summary, row.summary);
    });
  }
  it('keeps the body error for diagnosis', () => {
    assert.match(parseHealthBody(fixture('health-500-gone-away.json')).error ?? '', /gone away/);
    assert.deepEqual(parseHealthBody('not json'), { status: null, error: null });
  });
});
