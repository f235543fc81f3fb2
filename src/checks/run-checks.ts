import { asOpsError } from '../errors.js';
import type { AnyCheckResult, Check, CheckContext, CheckId } from './check-types.js';
import { dbCheck } from './db-check.js';
import { healthCheck } from './health-check.js';
import { logsCheck } from './logs-check.js';
import { portCheck } from './port-check.js';
import { resourcesCheck } from './resources-check.js';
import { serviceCheck } from './service-check.js';

/** In report order: the runbook's triage order, app first. */
export const ALL_CHECKS: readonly Check<CheckId>[] = [healthCheck, serviceCheck, portCheck, resourcesCheck, dbCheck, logsCheck] as Check<CheckId>[];

/**
 * Runs the chosen checks of one host concurrently (they share its one SSH connection). A check
 * that throws becomes a failed result carrying the error's code: one broken probe never hides the
 * others.
 */
export async function runChecks(ctx: CheckContext, ids?: readonly CheckId[]): Promise<AnyCheckResult[]> {
  const chosen = ALL_CHECKS.filter((c) => (!ids || ids.includes(c.id)) && c.applies(ctx.host));
  return Promise.all(chosen.map((check) => runOne(check, ctx)));
}

async function runOne(check: Check<CheckId>, ctx: CheckContext): Promise<AnyCheckResult> {
  const started = performance.now();
  try {
    const outcome = await check.run(ctx);
    return { id: check.id, ...outcome, durationMs: Math.round(performance.now() - started) } as AnyCheckResult;
  } catch (err) {
    const e = asOpsError(err);
    return {
      id: check.id,
      status: 'fail',
      summary: e.toUserText(),
      durationMs: Math.round(performance.now() - started),
      details: null,
      evidence: [e.message],
      error: { code: e.code, message: e.message },
    } as AnyCheckResult;
  }
}
