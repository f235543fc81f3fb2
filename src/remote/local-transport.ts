import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import type { MysqlTarget } from '../config/types.js';
import { OpsError } from '../errors.js';
import { CappedOutput } from './capped-output.js';
import type { ExecOptions, ExecResult, HostTransport, HttpOptions, HttpResponse, SqlSession } from './host-transport.js';
import { httpGetOver } from './http-get.js';
import { withMysqlOver } from './mysql-session.js';
import { marked } from './shell-quote.js';

/**
 * The same interface with child processes and plain sockets, for a bot running on the app's own
 * server. Each command runs in its own process group so a timeout kills the whole pipeline.
 */
export class LocalTransport implements HostTransport {
  readonly description = 'local';
  readonly selfPid = process.pid;

  exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    const started = performance.now();
    return new Promise<ExecResult>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', marked(command)], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      let timedOut = false;
      const killGroup = (): void => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch (e) {
          // ESRCH: the group already exited between the check and the kill; nothing left to stop.
          if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        }
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, opts.timeoutMs);
      const output = new CappedOutput(opts.maxBytes, killGroup);
      child.stdout.on('data', output.onStdout);
      child.stderr.on('data', output.onStderr);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(new OpsError('EXEC_FAILED', `cannot start /bin/sh: ${e.message}`, { cause: e }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (timedOut) {
          reject(new OpsError('EXEC_TIMEOUT', `command timed out after ${opts.timeoutMs} ms: ${command.slice(0, 80)}`));
          return;
        }
        resolve({
          code,
          signal,
          stdout: output.stdout,
          stderr: output.stderr,
          truncated: output.truncated,
          durationMs: performance.now() - started,
        });
      });
    });
  }

  httpGet(url: string, opts: HttpOptions): Promise<HttpResponse> {
    return httpGetOver((host, port) => openSocket(host, port), url, opts);
  }

  async withMysql<T>(target: MysqlTarget, queryTimeoutMs: number, fn: (db: SqlSession) => Promise<T>): Promise<T> {
    let stream: Duplex;
    try {
      stream = await openSocket(target.host, target.port);
    } catch (err) {
      throw new OpsError('DB_CONNECT', `cannot reach MySQL at ${target.host}:${target.port}: ${(err as Error).message}`, { cause: err });
    }
    return withMysqlOver(stream, target, queryTimeoutMs, fn);
  }

  async close(): Promise<void> {
    // Nothing is kept open between calls.
  }
}

function openSocket(host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err: NodeJS.ErrnoException) =>
      reject(new OpsError('CONNECT_REFUSED', `${host}:${port} refused the connection: ${err.code ?? err.message}`, { cause: err })),
    );
  });
}
