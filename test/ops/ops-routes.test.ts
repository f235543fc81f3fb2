import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import { opsRoutes, startOpsServer } from '../../src/ops/ops-routes.js';
import { PromTelemetry } from '../../src/ops/prom-telemetry.js';

/* The ops server on a kernel-chosen port (0) of 127.0.0.1, with and without METRICS_TOKEN. */
const TOKEN = 'a-metrics-token-0123456789';
const state = () => ({ startedAt: Date.now(), watch: undefined, slack: 'connected' as const });
let open: Server;
let guarded: Server;
const url = (s: Server, path: string) => `http://127.0.0.1:${(s.address() as AddressInfo).port}${path}`;

before(async () => {
  const telemetry = new PromTelemetry();
  open = await startOpsServer(opsRoutes(telemetry, state), 0, '127.0.0.1');
  guarded = await startOpsServer(opsRoutes(telemetry, state, { metricsToken: new Secret(TOKEN) }), 0, '127.0.0.1');
});
after(() => {
  open?.close();
  guarded?.close();
});

describe('/metrics with METRICS_TOKEN', () => {
  const table: [string, Record<string, string>, number][] = [
    ['no Authorization header', {}, 401],
    ['the wrong token', { authorization: 'Bearer a-metrics-token-0123456780' }, 401],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }, 401],
    ['the token with more after it', { authorization: `Bearer ${TOKEN}x` }, 401],
    ['the token as Basic credentials', { authorization: `Basic ${TOKEN}` }, 401],
    ['an empty bearer', { authorization: 'Bearer ' }, 401],
    ['the token', { authorization: `Bearer ${TOKEN}` }, 200],
    ['the token, scheme in lower case (RFC 7235: case-insensitive)', { authorization: `bearer ${TOKEN}` }, 200],
  ];
  for (const [name, headers, status] of table) {
    it(`${name} → ${status}`, async () => {
      const res = await fetch(url(guarded, '/metrics'), { headers });
      const body = await res.text();
      assert.equal(res.status, status);
      if (status === 401) {
        assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="moneymind metrics"');
        assert.equal(body, '401: /metrics needs Authorization: Bearer METRICS_TOKEN\n');
      } else assert.match(body, /# TYPE moneymind_host_up gauge/);
    });
  }
  it('/healthz needs no token (Docker HEALTHCHECK, load balancers)', async () => {
    assert.equal((await fetch(url(guarded, '/healthz'))).status, 200);
  });
  it('without METRICS_TOKEN, /metrics is open as before', async () => {
    assert.equal((await fetch(url(open, '/metrics'))).status, 200);
  });
  it('listens only where it was told', () => {
    assert.equal((guarded.address() as AddressInfo).address, '127.0.0.1');
  });
});

describe('/metrics: time to acknowledge and to resolve', () => {
  it('histograms by cause, buckets from 1 min to 1 day', async () => {
    const telemetry = new PromTelemetry();
    const server = await startOpsServer(opsRoutes(telemetry, state), 0, '127.0.0.1');
    try {
      telemetry.incidentAcknowledged('app-unresponsive', 4 * 60_000);
      telemetry.incidentResolved('app-unresponsive', 50 * 60_000);
      telemetry.incidentResolved('db-unreachable', 2 * 86_400_000);
      const body = await (await fetch(url(server, '/metrics'))).text();
      const tta = 'moneymind_incident_time_to_acknowledge_seconds';
      const ttr = 'moneymind_incident_time_to_resolve_seconds';
      assert.match(body, new RegExp(`# TYPE ${tta} histogram`));
      assert.deepEqual(
        [...body.matchAll(new RegExp(`${tta}_bucket\\{le="([^"]+)",cause="app-unresponsive"\\} (\\d+)`, 'g'))].map((m) => `${m[1]}:${m[2]}`),
        ['60:0', '300:1', '900:1', '1800:1', '3600:1', '7200:1', '14400:1', '43200:1', '86400:1', '+Inf:1'],
      );
      assert.match(body, new RegExp(`${ttr}_bucket\\{le="1800",cause="app-unresponsive"\\} 0`));
      assert.match(body, new RegExp(`${ttr}_bucket\\{le="3600",cause="app-unresponsive"\\} 1`));
      assert.match(body, new RegExp(`${ttr}_bucket\\{le="86400",cause="db-unreachable"\\} 0`));
      assert.match(body, new RegExp(`${ttr}_sum\\{cause="db-unreachable"\\} 172800`));
    } finally {
      server.close();
    }
  });
});
