import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Secret } from '../config/secret.js';
import { hasBearer } from './bearer-token.js';
import { healthStatus, type HealthInput } from './health-status.js';
import type { PromTelemetry } from './prom-telemetry.js';

export interface OpsRoutes {
  healthz(req: IncomingMessage, res: ServerResponse): void;
  metrics(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * /healthz (liveness) and /metrics (Prometheus text), for Bolt's customRoutes or a server of their
 * own. With `metricsToken`, /metrics answers 401 unless the request carries it as a bearer token
 * (Prometheus: `authorization: { credentials_file: … }`). /healthz stays open: Docker's
 * HEALTHCHECK and load balancers call it without credentials, and it tells only up or down, and why.
 */
export function opsRoutes(
  telemetry: PromTelemetry,
  state: () => Omit<HealthInput, 'now'>,
  opts: { clock?: () => number; metricsToken?: Secret | undefined } = {},
): OpsRoutes {
  const { clock = Date.now, metricsToken } = opts;
  return {
    healthz(_req, res) {
      const { code, body } = healthStatus({ ...state(), now: clock() });
      res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    },
    metrics(req, res) {
      if (metricsToken && !hasBearer(req, metricsToken)) {
        res
          .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="moneymind metrics"' })
          .end('401: /metrics needs Authorization: Bearer METRICS_TOKEN\n');
        return;
      }
      telemetry.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': telemetry.registry.contentType }).end(text))
        .catch((err: unknown) => res.writeHead(500).end(String(err)));
    },
  };
}

/**
 * Socket Mode has no HTTP server of its own: the routes get one on METRICS_HOST:METRICS_PORT
 * (127.0.0.1 unless the operator says otherwise: Prometheus on the same machine, or a container's
 * published port with METRICS_HOST=0.0.0.0).
 */
export async function startOpsServer(routes: OpsRoutes, port: number, host: string): Promise<Server> {
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
