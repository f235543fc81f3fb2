import { CHECK_IDS, type CheckId } from '../checks/check-types.js';
import { renderReport } from '../render/render-text.js';
import type { HostConfig, Thresholds } from '../config/types.js';
import type { HostReport } from '../engine/host-report.js';
import type { HostTransport } from '../remote/host-transport.js';
import { collectBundle } from '../report/collect-bundle.js';
import type { SupportBundle } from '../report/format-bundle.js';

export interface BundleDeps {
  readonly transport: HostTransport;
  readonly thresholds: Thresholds;
  /** The services' own full check, so the bundle's diagnosis is also the host's last report. */
  readonly checkHosts: (hosts: readonly HostConfig[], ids: readonly CheckId[]) => Promise<HostReport[]>;
  readonly clock: () => number;
}

/** `report HOST`: the runbook's support bundle with a fresh diagnosis, as the terminal prints it. */
export function supportBundle(host: HostConfig, d: BundleDeps): Promise<SupportBundle> {
  const diagnosis = d.checkHosts([host], CHECK_IDS).then(([r]) => (r ? renderReport(r, { color: false, detail: true }) : 'no report'));
  return collectBundle(host, d.transport, d.thresholds, diagnosis, d.clock);
}
