import { redactDeep } from '../boundary/redact-deep.js';
import { redact } from '../boundary/redact.js';
import { asOpsError, type ErrorCode } from '../errors.js';
import { silentLog, type RunLog } from '../log/run-log.js';
import type { CheckId } from '../domain/ids.js';
import type { CheckContext } from './check.js';
import type { AnyCheck, AnyCheckResult } from './check-types.js';
import { dbCheck } from './db-check.js';
import { healthCheck } from './health-check.js';
import { logsCheck } from './logs-check.js';
import { portCheck } from './port-check.js';
import { resourcesCheck } from './resources-check.js';
import { serviceCheck } from './service-check.js';

/** In report order: the runbook's triage order, app first. */
export const ALL_CHECKS: readonly AnyCheck[] = [healthCheck, serviceCheck, portCheck, resourcesCheck, dbCheck, logsCheck];

/**
 * Runs the chosen checks of one host concurrently (they share its one SSH connection). A check
 * that throws becomes a failed result carrying the error's code: one broken probe never hides the
 * others. Every string of every result (summary, evidence, error, and inside details: log lines,
 * the /health error) is redacted here, whatever the transport did: everything downstream — the
 * diagnosis, Slack, the terminal, `--json`, alert threads, the store — only sees masked text.
 */
export async function runChecks(ctx: CheckContext, ids?: readonly CheckId[], log: RunLog = silentLog): Promise<AnyCheckResult[]> {
  const chosen = ALL_CHECKS.filter((c) => (!ids || ids.includes(c.id)) && c.applies(ctx.host));
  return Promise.all(chosen.map((check) => runOne(check, ctx, log.child({ host: ctx.host.name, check: check.id }))));
}

async function runOne(check: AnyCheck, ctx: CheckContext, log: RunLog): Promise<AnyCheckResult> {
  const started = performance.now();
  try {
    const outcome = redactDeep(await check.run(ctx), redact);
    const durationMs = Math.round(performance.now() - started);
    log.debug({ status: outcome.status, durationMs }, outcome.summary);
    return { id: check.id, ...outcome, durationMs } as AnyCheckResult;
  } catch (err) {
    const e = asOpsError(err);
    // The user sees the short message; the log keeps the cause chain for whoever debugs it.
    log.warn({ code: e.code, err: e.cause instanceof Error ? redact(e.cause.message) : undefined }, redact(e.message));
    return redactDeep(
      {
        id: check.id,
        status: thrownStatus(check.id, e.code),
        summary: e.toUserText(),
        durationMs: Math.round(performance.now() - started),
        details: null,
        evidence: [e.message],
        error: { code: e.code, message: e.message, ...(e.jumpHost === undefined ? {} : { jumpHost: e.jumpHost }) },
      },
      redact,
    ) as AnyCheckResult;
  }
}

// The host is out of reach (host-unreachable) or the database refuses (db-unreachable): those are
// failures. Anything else thrown means the probe itself could not run or finish (a timeout, a
// channel refused, a query without the grant): unknown, not down.
const FAILING_CODES: ReadonlySet<ErrorCode> = new Set(['SSH_CONNECT', 'SSH_AUTH', 'SSH_HOSTKEY_MISMATCH', 'DB_CONNECT', 'DB_AUTH']);

/**
 * A check that threw: failing or unknown. The health check never becomes unknown: when the bot
 * cannot tell whether the app answers, a monitor must say so loudly, not go quiet.
 */
export function thrownStatus(id: CheckId, code: ErrorCode): 'fail' | 'unknown' {
  return id === 'health' || FAILING_CODES.has(code) ? 'fail' : 'unknown';
}
