import type { CheckId } from '../checks/check-types.js';
import { runChecks } from '../checks/run-checks.js';
import type { HostConfig, Thresholds } from '../config/types.js';
import type { RssSample } from '../diagnosis/cause.js';
import { diagnose } from '../diagnosis/diagnose.js';
import type { RunLog } from '../log/run-log.js';
import type { HostTransport } from '../remote/host-transport.js';
import { worstStatus, type HostReport } from './host-report.js';

export interface CheckHostOptions {
  readonly ids?: readonly CheckId[];
  readonly rssHistory?: readonly RssSample[];
  /** Wall clock for the RSS trend; passed in so the core stays free of ambient time. */
  readonly now: number;
  readonly log?: RunLog;
}

/** Runs a host's checks and diagnoses the results: the one thing every command and the watcher call. */
export async function checkHost(host: HostConfig, transport: HostTransport, thresholds: Thresholds, opts: CheckHostOptions): Promise<HostReport> {
  const started = performance.now();
  const checks = await runChecks({ host, thresholds, transport }, opts.ids, opts.log);
  const causes = diagnose({ checks, poolRecycle: host.app.poolRecycle, thresholds, rssHistory: opts.rssHistory ?? [], now: opts.now });
  const status = worstStatus(checks);
  const jump = host.ssh?.jump ? { jumpHost: host.ssh.jump.name } : {};
  return { name: host.name, ok: status !== 'fail', status, durationMs: Math.round(performance.now() - started), checks, causes, ...jump };
}
