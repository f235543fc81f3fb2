/**
 * sudo -n fails with "a password is required" (or "not allowed") when the sudoers rule is missing;
 * the fix is always the same drop-in, so say it. The README lists the full rule set.
 */
export function sudoHint(output: string, user: string, command: string): string | undefined {
  if (!/sudo: (a password is required|.*not allowed|.*may not run)/i.test(output)) return undefined;
  return `sudo is not permitted: add a sudoers rule like "${user} ALL=(root) NOPASSWD: /usr/bin/${command}" (see README, least privilege)`;
}
