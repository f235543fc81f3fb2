/*
 * What `moneymind doctor` reports: per host, one item per piece of the README's least-privilege
 * setup. Types only, so the router, the renderers and the Slack builders can share them without
 * importing the probe.
 */

/** pass ✓ · fail ✗ (the setup misses something: `fix` says what to do) · unknown ? (could not tell). */
export type DoctorMark = 'pass' | 'fail' | 'unknown';

export type DoctorItemId = 'ssh' | 'sudo-status' | 'sudo-restart' | 'log-file' | 'journal' | 'kernel-log' | 'health' | 'mysql-grants' | 'port-process';

export interface DoctorItem {
  readonly id: DoctorItemId;
  readonly mark: DoctorMark;
  /** One line: what was checked and what was found. */
  readonly line: string;
  /** The exact change that makes it pass (a sudoers line, a usermod, a GRANT); absent on a pass. */
  readonly fix?: string;
}

export interface DoctorHost {
  readonly name: string;
  /** "ops@10.0.0.5:22" or "this machine". */
  readonly address: string;
  readonly items: readonly DoctorItem[];
}

/** Exit 0 only when every item of every host passed. */
export function doctorPassed(hosts: readonly DoctorHost[]): boolean {
  return hosts.every((h) => h.items.every((i) => i.mark === 'pass'));
}
