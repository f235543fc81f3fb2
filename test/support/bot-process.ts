import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

const MAIN = new URL('../../src/main.ts', import.meta.url).pathname;

export interface BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;
  out(): string;
  err(): string;
  /** SIGTERM, then the exit code; SIGKILL if it is still there after `ms`. */
  stop(ms?: number): Promise<number | null>;
}

/**
 * The bot as `npm start` runs it (src/main.ts, through tsx here), in `cwd`. Nothing from the test's
 * own environment leaks in: each run gets exactly the variables listed. `imports` are preloaded
 * with --import (a test fault injector, say).
 */
export function spawnBot(env: Record<string, string>, opts: { cwd: string; stdin?: string; imports?: readonly string[] }): BotProcess {
  const preload = [import.meta.resolve('tsx'), ...(opts.imports ?? [])].flatMap((m) => ['--import', m]);
  const child = spawn(process.execPath, [...preload, MAIN], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LOG_LEVEL: 'warn', ...env }, cwd: opts.cwd });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(opts.stdin ?? '');
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    out: () => out,
    err: () => err,
    async stop(ms = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), ms);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
