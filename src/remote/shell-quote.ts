/**
 * POSIX single-quoting: the only way config values enter a command template. Inside single
 * quotes nothing is special except the quote itself, which is closed, escaped and reopened.
 */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Wraps a command so the host itself kills it after `timeoutMs` (coreutils `timeout`, then KILL
 * 2 s later). Closing an SSH channel does not stop a non-pty remote process that is blocked (a
 * `tail` on a stuck NFS file would live on), so the limit is enforced on both sides.
 */
export function withRemoteTimeout(command: string, timeoutMs: number): string {
  const secs = Math.max(1, Math.ceil(timeoutMs / 1000));
  return `timeout -k 2 ${secs} sh -c ${shq(command)}`;
}

/**
 * Every command the bot runs starts with this no-op word, so the resources check can tell the
 * bot's own probes (and their children: a `tail` of moneymind.log) from the app in `ps`.
 */
export const PROBE_MARK = '@@moneymind-probe';

export function marked(command: string): string {
  return `: ${PROBE_MARK}; ${command}`;
}
