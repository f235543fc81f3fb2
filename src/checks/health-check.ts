import { clip } from '../boundary/clip.js';
import { redact } from '../boundary/redact.js';
import { formatDuration } from '../config/duration.js';
import type { Thresholds } from '../config/types.js';
import { OpsError } from '../errors.js';
import type { HttpResponse } from '../remote/host-transport.js';
import type { Check, CheckOutcome, Signals } from './check.js';
import { mysqlErrorsIn, type HealthSignalId } from './parse-health-error.js';

export interface HealthDetails {
  readonly url: string;
  /** ok: 2xx · http-error: answered with another code · timeout: no answer in time · refused: nothing listening */
  readonly outcome: 'ok' | 'http-error' | 'timeout' | 'refused';
  readonly httpStatus: number | null;
  readonly latencyMs: number | null;
  /** The runbook's /health body: {"status":"healthy"} or {"status":"unhealthy","error":"…"} */
  readonly bodyStatus: string | null;
  readonly error: string | null;
  /** The MySQL errors `error` names; each one's evidence is the summary, what a cause quotes. */
  readonly signals: Signals<HealthSignalId>;
}

export type HealthProbe = { kind: 'response'; response: HttpResponse } | { kind: 'timeout' } | { kind: 'refused'; message: string };

/**
 * Probe: GET healthUrl as seen from the host. A timeout and a refused connection are results,
 * not crashes (they are the runbook's "stops answering"); an SSH failure still throws.
 */
export const healthCheck: Check<'health', HealthDetails> = {
  id: 'health',
  applies: () => true,
  async run({ host, thresholds, transport }) {
    let probe: HealthProbe;
    try {
      probe = { kind: 'response', response: await transport.httpGet(host.app.healthUrl, { timeoutMs: thresholds.healthTimeout, maxBytes: 64 * 1024 }) };
    } catch (err) {
      if (!(err instanceof OpsError)) throw err;
      if (err.code === 'HTTP_TIMEOUT') probe = { kind: 'timeout' };
      else if (err.code === 'CONNECT_REFUSED' || err.code === 'HTTP_ERROR') probe = { kind: 'refused', message: err.message };
      else throw err;
    }
    return evaluateHealth(host.app.healthUrl, probe, thresholds);
  },
};

/** Pure: probe result → status. 2xx healthy, slow 2xx warns, anything else fails. */
export function evaluateHealth(url: string, probe: HealthProbe, t: Pick<Thresholds, 'healthSlow' | 'healthTimeout'>): CheckOutcome<HealthDetails> {
  const path = safePath(url);
  if (probe.kind === 'timeout') {
    const details = {
      url,
      outcome: 'timeout',
      httpStatus: null,
      latencyMs: null,
      bodyStatus: null,
      error: `no answer within ${formatDuration(t.healthTimeout)}`,
    } as const;
    return withSignals({
      status: 'fail',
      summary: `GET ${path} → no answer in ${formatDuration(t.healthTimeout)}`,
      details,
      evidence: [`GET ${path} timed out after ${formatDuration(t.healthTimeout)}`],
    });
  }
  if (probe.kind === 'refused') {
    const details = { url, outcome: 'refused', httpStatus: null, latencyMs: null, bodyStatus: null, error: probe.message } as const;
    return withSignals({ status: 'fail', summary: `GET ${path} → connection refused`, details, evidence: [`GET ${path}: ${probe.message}`] });
  }
  const { status, body, durationMs } = probe.response;
  const parsed = parseHealthBody(body);
  const ok = status >= 200 && status < 300 && parsed.status !== 'unhealthy';
  const details: Omit<HealthDetails, 'signals'> = {
    url,
    outcome: ok ? 'ok' : 'http-error',
    httpStatus: status,
    latencyMs: Math.round(durationMs),
    bodyStatus: parsed.status,
    error: parsed.error,
  };
  const head = `GET ${path} → ${status} in ${formatDuration(durationMs)}`;
  if (!ok) {
    // Redacted before it is cut: a URL cut before its '@' no longer shows where its password ends.
    const said = parsed.error ?? parsed.status;
    const why = said !== null ? redact(said) : clip(redact(body.trim()), 120);
    return withSignals({ status: 'fail', summary: why ? `${head}: ${clip(why, 120)}` : head, details, evidence: [`${head}${why ? `: ${why}` : ''}`] });
  }
  if (durationMs > t.healthSlow) {
    return withSignals({
      status: 'warn',
      summary: `${head} (slow: over ${formatDuration(t.healthSlow)})`,
      details,
      evidence: [`${head}, slower than ${formatDuration(t.healthSlow)}`],
    });
  }
  return withSignals({ status: 'ok', summary: head, details, evidence: [] });
}

/**
 * The MySQL errors the health error names, read here once so that no rule matches its text.
 * Rules quote the summary for them, so that is each signal's evidence.
 */
function withSignals(o: CheckOutcome<Omit<HealthDetails, 'signals'>>): CheckOutcome<HealthDetails> {
  const signals: Signals<HealthSignalId> = Object.fromEntries(mysqlErrorsIn(o.details.error).map((id) => [id, { count: 1, evidence: o.summary }]));
  return { ...o, details: { ...o.details, signals } };
}

/**
 * The runbook's health body. Example inputs:
 *   {"status":"healthy","timestamp":"2024-01-15T10:23:45.123456"}
 *   {"error":"(pymysql.err.OperationalError) (2006, \"MySQL server has gone away ...\")","status":"unhealthy"}
 * Anything else (HTML error page, empty) gives nulls.
 */
export function parseHealthBody(body: string): { status: string | null; error: string | null } {
  try {
    const json: unknown = JSON.parse(body);
    if (json && typeof json === 'object') {
      const o = json as Record<string, unknown>;
      return { status: typeof o.status === 'string' ? o.status : null, error: typeof o.error === 'string' ? o.error : null };
    }
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the HTTP code alone decides.
  }
  return { status: null, error: null };
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url; // config validation already checked it; this only shapes a message
  }
}
