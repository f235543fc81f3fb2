/**
 * Several probes share one exec (one SSH channel, one round trip) by printing a marker line
 * `@@name` before each part. This splits such output back into named parts. Only a line that is
 * exactly `@@name` counts, so a log line mentioning "@@" cannot start a section.
 *
 * Example input:
 *   @@loadavg
 *   0.42 0.30 0.25 1/317 4242
 *   @@nproc
 *   2
 */
export function splitSections(output: string): Map<string, string> {
  const parts = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const flush = (): void => {
    if (name !== undefined) parts.set(name, lines.join('\n'));
  };
  for (const line of output.split('\n')) {
    const m = /^@@([a-z][a-z0-9-]*)$/.exec(line);
    if (m) {
      flush();
      name = m[1];
      lines = [];
    } else if (name !== undefined) {
      lines.push(line);
    }
  }
  flush();
  return parts;
}
