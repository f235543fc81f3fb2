import type { ClientChannel } from 'ssh2';
import { OpsError } from '../errors.js';
import type { ExecOptions, ExecResult } from './host-transport.js';

/**
 * Reads an exec channel to the end with a hard timeout and an output cap. Past the cap the
 * channel is closed (the remote command gets SIGPIPE) and the result is marked truncated, so a
 * 2 GB log line costs 4 MB, not the bot.
 */
export function collectChannel(ch: ClientChannel, opts: ExecOptions, command: string, reportedTimeoutMs = opts.timeoutMs): Promise<ExecResult> {
  const started = performance.now();
  return new Promise<ExecResult>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
    let done = false;

    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      ch.close();
      reject(new OpsError('EXEC_TIMEOUT', `command timed out after ${reportedTimeoutMs} ms: ${firstWords(command)}`));
    }, opts.timeoutMs);

    const take = (into: Buffer[]) => (chunk: Buffer) => {
      if (truncated) return;
      const room = opts.maxBytes - size;
      if (chunk.length >= room) {
        into.push(chunk.subarray(0, room));
        size = opts.maxBytes;
        truncated = true;
        ch.close();
        return;
      }
      size += chunk.length;
      into.push(chunk);
    };
    ch.on('data', take(out));
    ch.stderr.on('data', take(err));
    ch.on('exit', (code: number | null, signal?: string) => {
      exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
    });
    ch.on('close', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({
        ...exit,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        truncated,
        durationMs: performance.now() - started,
      });
    });
  });
}

function firstWords(command: string): string {
  return command.length > 80 ? `${command.slice(0, 77)}...` : command;
}
