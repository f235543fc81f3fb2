import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { healthStatus, type HealthInput } from './health-status.js';
import type { PromTelemetry } from './prom-telemetry.js';

export interface OpsRoutes {
  healthz(req: IncomingMessage, res: ServerResponse): void;
  metrics(req: IncomingMessage, res: ServerResponse): void;
}

/** /healthz (liveness) and /metrics (Prometheus text), for Bolt's customRoutes or a server of their own. */
export function opsRoutes(telemetry: PromTelemetry, state: () => Omit<HealthInput, 'now'>, clock: () => number = Date.now): OpsRoutes {
  return {
    healthz(_req, res) {
      const { code, body } = healthStatus({ ...state(), now: clock() });
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    metrics(_req, res) {
      telemetry.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': telemetry.registry.contentType }).end(text))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    },
  };
}

/** Socket Mode has no HTTP server of its own: the routes get one on METRICS_PORT. */
export async function startOpsServer(routes: OpsRoutes, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') return routes.healthz(req, res);
    if (req.method === 'GET' && path === '/metrics') return routes.metrics(req, res);
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
