/**
 * Each doctor step prints its output (stdout and stderr) and then `@@exit N`, its exit status, on a
 * line of its own: the evaluators need both. Example input (`sudo -n -l` refused):
 *   sudo: a password is required
 *   @@exit 1
 * A section without the line (the step never ran) gives exit null.
 */
export function exitSection(text: string | undefined): { output: string; exit: number | null } {
  if (text === undefined) return { output: '', exit: null };
  const m = /^@@exit (\d+)$/m.exec(text);
  const output = text
    .split('\n')
    .filter((l) => !/^@@exit \d+$/.test(l))
    .join('\n')
    .trim();
  return { output, exit: m ? Number(m[1]) : null };
}

/** The step's marker and exit line around a fixed command: `echo @@name; CMD; echo "@@exit $?"`. */
export function step(name: string, command: string): string {
  return `echo @@${name}; ${command}; echo "@@exit $?"`;
}
