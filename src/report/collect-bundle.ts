import type { HostConfig, Thresholds } from '../config/types.js';
import { OpsError } from '../errors.js';
import type { HostTransport } from '../remote/host-transport.js';
import { readDbSnapshot } from './bundle-db.js';
import { bundleProbeCommand } from './bundle-probe.js';
import { formatBundle, type BundleParts, type SupportBundle } from './format-bundle.js';

/**
 * Gathers the support bundle: the host part (one exec) and the DB part (one session) in
 * parallel, beside the diagnosis the caller already made. A failing part is reported in the
 * file, not thrown, so a half-dead host still yields the half that helps.
 */
export async function collectBundle(
  host: HostConfig,
  transport: HostTransport,
  t: Thresholds,
  diagnosis: Promise<string>,
  now: () => number,
): Promise<SupportBundle> {
  const [diag, probe, db] = await Promise.all([
    diagnosis,
    transport
      .exec(bundleProbeCommand(host.app), { timeoutMs: t.commandTimeout, maxBytes: t.maxOutputBytes })
      .then((r) => ({ output: r.stdout, truncated: r.truncated }))
      .catch((err: unknown) => ({ error: why(err) })),
    host.mysql ? transport.withMysql(host.mysql, t.commandTimeout, readDbSnapshot).catch((err: unknown) => ({ error: why(err) })) : Promise.resolve(undefined),
  ]);
  const parts: BundleParts = { host: host.name, transport: transport.description, madeAt: now(), diagnosis: diag, probe, db, logFile: host.app.logFile };
  return formatBundle(parts);
}

function why(err: unknown): string {
  return err instanceof OpsError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
}
