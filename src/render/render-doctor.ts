import type { DoctorHost, DoctorMark } from '../doctor/doctor-types.js';

export const DOCTOR_MARK: Record<DoctorMark, string> = { pass: '✓', fail: '✗', unknown: '?' };

/**
 * The doctor's checklist as text, the same in the CLI and the terminal:
 *   prod-1 (ops@10.0.0.5:22): 1 of 7 to fix
 *     ✓ SSH ops@10.0.0.5:22: logged in, host key matches SHA256:…
 *     ✗ restart not allowed for ops by sudoers: sudo -n supervisorctl restart moneymind
 *         fix: add this line to /etc/sudoers.d/moneymind-bot …
 */
export function renderDoctor(hosts: readonly DoctorHost[]): string {
  return hosts
    .map((h) => {
      const misses = h.items.filter((i) => i.mark !== 'pass').length;
      const head = `${h.name} (${h.address}): ${misses ? `${misses} of ${h.items.length} to fix` : `all ${h.items.length} pass`}`;
      return [head, ...h.items.flatMap((i) => [`  ${DOCTOR_MARK[i.mark]} ${i.line}`, ...(i.fix ? [`      fix: ${i.fix}`] : [])])].join('\n');
    })
    .join('\n\n');
}
