import type { ClientChannel } from 'ssh2';
import { OpsError } from '../errors.js';
import { CappedOutput } from './capped-output.js';
import type { ExecOptions, ExecResult } from './host-transport.js';

/**
 * Reads an exec channel to the end with a hard timeout and an output cap. Past the cap the
 * channel is closed (the remote command gets SIGPIPE) and the result is marked truncated.
 */
export function collectChannel(ch: ClientChannel, opts: ExecOptions, command: string, reportedTimeoutMs = opts.timeoutMs): Promise<ExecResult> {
  const started = performance.now();
  return new Promise<ExecResult>((resolve, reject) => {
    const output = new CappedOutput(opts.maxBytes, () => ch.close());
    let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
    let done = false;

    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      ch.close();
      reject(new OpsError('EXEC_TIMEOUT', `command timed out after ${reportedTimeoutMs} ms: ${firstWords(command)}`));
    }, opts.timeoutMs);

    ch.on('data', output.onStdout);
    ch.stderr.on('data', output.onStderr);
    ch.on('exit', (code: number | null, signal?: string) => {
      exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
    });
    ch.on('close', () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({
        ...exit,
        stdout: output.stdout,
        stderr: output.stderr,
        truncated: output.truncated,
        durationMs: performance.now() - started,
      });
    });
  });
}

function firstWords(command: string): string {
  return command.length > 80 ? `${command.slice(0, 77)}...` : command;
}
