import type { CheckId } from '../checks/check-types.js';
import type { HostConfig, Thresholds } from '../config/types.js';
import type { RssSample } from '../diagnosis/cause.js';
import type { RunLog } from '../log/run-log.js';
import type { HostTransport } from '../remote/host-transport.js';
import { checkHost } from './check-host.js';
import type { HostReport } from './host-report.js';

export interface FleetOptions {
  readonly ids?: readonly CheckId[];
  /** How many hosts are checked at once. Each holds one SSH connection. */
  readonly concurrency?: number;
  readonly now: () => number;
  readonly log?: RunLog;
  /** Earlier RSS samples per host (the watcher keeps them), for the memory-growth trend. */
  readonly rssHistory?: (host: string) => readonly RssSample[];
}

/**
 * Checks several hosts in parallel (bounded), results in the given order. Hosts do not wait for
 * each other: a slow or dead host only occupies its own slot until its own timeouts fire.
 */
export async function checkHosts(
  hosts: readonly HostConfig[],
  transportFor: (host: HostConfig) => HostTransport,
  thresholds: Thresholds,
  opts: FleetOptions,
): Promise<HostReport[]> {
  const results: HostReport[] = new Array(hosts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < hosts.length) {
      const i = next++;
      const host = hosts[i] as HostConfig;
      results[i] = await checkHost(host, transportFor(host), thresholds, {
        ids: opts.ids,
        now: opts.now(),
        log: opts.log,
        rssHistory: opts.rssHistory?.(host.name) ?? [],
      });
    }
  };
  const width = Math.max(1, Math.min(opts.concurrency ?? 64, hosts.length));
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}
