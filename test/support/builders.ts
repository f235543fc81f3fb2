import type { AnyCheckResult, CheckId } from '../../src/checks/check-types.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { HostConfig } from '../../src/config/types.js';
import type { Cause, CauseId } from '../../src/diagnosis/cause.js';
import type { HostReport } from '../../src/engine/host-report.js';
import type { Tracker } from '../../src/watch/incident-policy.js';

/*
 * The report, cause, check and host objects tests hand to pure code (renderers, Block Kit builders,
 * the watch policy). Each builder gives a plain, valid default; a test passes only what it is
 * about. Results the real evaluators make from captured output are in test/diagnosis/check-results.ts.
 */

/** A likely cause: critical, a restart helps, no evidence, its id as title. */
export function cause(id: CauseId = 'app-unresponsive', over: Partial<Cause> = {}): Cause {
  return { id, severity: 'critical', title: id, evidence: [], advice: '', restartHelps: true, ...over };
}

/** One check's result, without details (as when a renderer only shows the summary). */
export function check(id: CheckId, status: AnyCheckResult['status'] = 'ok', summary = 'ok', over: Partial<AnyCheckResult> = {}): AnyCheckResult {
  return { id, status, summary, durationMs: 3, details: null, evidence: [], ...over } as AnyCheckResult;
}

/** A host's report: failing when it has causes, unless `over.status` says otherwise; `ok` follows the status. */
export function report(name: string, over: Partial<HostReport> = {}): HostReport {
  const causes = over.causes ?? [];
  const status = over.status ?? (causes.length ? 'fail' : 'ok');
  return { name, ok: status !== 'fail', status, durationMs: 1, checks: [], causes, ...over };
}

/** A configured host: the built-in local host (the runbook's defaults) renamed, with `over` on top. */
export function hostConfig(name: string, over: Partial<HostConfig> = {}): HostConfig {
  return { ...loadConfig({}, undefined).hosts[0]!, name, ...over };
}

/** An incident that is firing and was posted: prod-1's app-unresponsive, two failures in, no diagnosis; `over` on top. */
export function firingTracker(over: Partial<Tracker> = {}): Tracker {
  return {
    key: 'host:prod-1|app-unresponsive',
    subject: 'prod-1',
    cause: 'app-unresponsive',
    hosts: ['prod-1'],
    phase: 'firing',
    fails: 2,
    oks: 0,
    history: [true, true],
    flapping: false,
    since: 0,
    posted: true,
    lastReminder: undefined,
    signature: undefined,
    detail: undefined,
    affected: [],
    ...over,
  };
}
