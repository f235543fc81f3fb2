/**
 * Process helpers for the integration-test harness: bounded command runs,
 * bounded wait loops, daemon spawning and process-tree termination.
 *
 * Daemons are spawned detached (own process group, so a Ctrl-C in the
 * terminal does not hit them behind our back) with stdout/stderr going to a
 * file (no pipes), and unref'd so a test that forgets stop() cannot keep the
 * node process alive forever; emergency.ts kills them at exit instead.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
}

/** Run a command to completion (bounded), never throws on non-zero exit. */
export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      env: opts.env ?? process.env,
      cwd: opts.cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[harness] ${cmd} timed out after ${timeoutMs} ms, killing it`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
    if (child.stdin) {
      // A command may exit without reading its input; that is its business.
      child.stdin.on('error', (err) => (stderr += `\n[harness] stdin: ${err.message}`));
      child.stdin.end(opts.input);
    }
  });
}

/** Like run() but throws (with stderr) on a non-zero exit code. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const res = await run(cmd, args, opts);
  if (res.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${res.code}: ${res.stderr.trim() || res.stdout.trim()}`);
  }
  return res;
}

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Extra diagnostics appended to the timeout error (e.g. a daemon's log). */
  describeFailure?: () => string;
}

/**
 * Poll `probe` until it returns something other than undefined. Bounded both
 * by wall time and by attempt count. A probe may throw to abort immediately
 * (e.g. when the daemon being waited on has exited).
 */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, opts: WaitOptions): Promise<T> {
  const intervalMs = opts.intervalMs ?? 100;
  const maxAttempts = Math.ceil(opts.timeoutMs / intervalMs) + 1;
  const deadline = Date.now() + opts.timeoutMs;
  for (let attempt = 0; attempt < maxAttempts && Date.now() <= deadline; attempt++) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(intervalMs);
  }
  const extra = opts.describeFailure?.() ?? '';
  throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${what}${extra ? `\n${extra}` : ''}`);
}

export interface Daemon {
  child: ChildProcess;
  pid: number;
  /** Set once the process has exited. */
  exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
}

/** Spawn a long-running daemon with stdout+stderr appended to logPath. */
export function spawnDaemon(cmd: string, args: readonly string[], logPath: string, opts: Pick<SpawnOptions, 'env' | 'cwd'> = {}): Promise<Daemon> {
  const fd = openSync(logPath, 'a');
  try {
    const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', fd, fd] });
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`cannot start ${cmd}: ${err.message}`)));
      child.once('spawn', () => {
        if (child.pid === undefined) {
          reject(new Error(`cannot start ${cmd}: no pid`));
          return;
        }
        const daemon: Daemon = { child, pid: child.pid, exited: undefined };
        child.once('exit', (code, signal) => (daemon.exited = { code, signal }));
        child.unref();
        resolve(daemon);
      });
    });
  } finally {
    // The child has its own copy of the descriptor; the parent must not leak it.
    closeSync(fd);
  }
}

/** Last `maxChars` characters of a (log) file, or a note if unreadable. */
export function tail(path: string, maxChars = 4000): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > maxChars ? `...${text.slice(-maxChars)}` : text;
  } catch (err) {
    return `(cannot read ${path}: ${(err as Error).message})`;
  }
}

function readStat(pid: number): { state: string; ppid: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // process is gone (or never existed): that is the answer
  }
  // "pid (comm) S ppid ..." - comm may contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '?', ppid: Number(fields[1]) };
}

/**
 * True while the process exists and is not a zombie. Zombies count as dead:
 * orphans are reparented to PID 1, which in some containers (gVisor's
 * process_api here) never reaps them, so kill(pid, 0) would succeed forever.
 */
export function isAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** All live descendants of pid (children, grandchildren, ...). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return []; // no procfs: we can only signal the root process
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readStat(Number(name));
    if (stat && stat.state !== 'Z') parentOf.set(Number(name), stat.ppid);
  }
  const result: number[] = [];
  const frontier = [pid];
  while (frontier.length > 0) {
    const parent = frontier.pop() as number;
    for (const [child, ppid] of parentOf) {
      if (ppid === parent && !result.includes(child)) {
        result.push(child);
        frontier.push(child);
      }
    }
  }
  return result;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (err) {
    // ESRCH: it already exited between our check and the kill; fine.
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

export interface TerminateOptions {
  label: string;
  /** How long the process gets after the polite signal before SIGKILL. */
  graceMs: number;
  /** Signal sent first (default SIGTERM). */
  signal?: NodeJS.Signals;
  /** Also send the polite signal to all descendants (default: only the root). */
  signalDescendants?: boolean;
}

/**
 * Stop a daemon and everything below it: polite signal, bounded wait, then
 * SIGKILL for whatever is left (including descendants that were re-parented
 * away). Throws if something survives SIGKILL.
 */
export async function terminateTree(pid: number, opts: TerminateOptions): Promise<void> {
  const tree = new Set([pid, ...descendants(pid)]);
  signal(pid, opts.signal ?? 'SIGTERM');
  if (opts.signalDescendants) for (const p of tree) if (p !== pid) signal(p, opts.signal ?? 'SIGTERM');
  const allDead = (): true | undefined => ([...tree].every((p) => !isAlive(p)) ? true : undefined);
  try {
    await waitUntil(`${opts.label} to exit`, async () => allDead(), { timeoutMs: opts.graceMs, intervalMs: 50 });
    return;
  } catch {
    // Grace period over: escalate to SIGKILL below.
  }
  if (isAlive(pid)) for (const p of descendants(pid)) tree.add(p);
  for (const p of tree) if (isAlive(p)) signal(p, 'SIGKILL');
  await waitUntil(`${opts.label} to die after SIGKILL`, async () => allDead(), {
    timeoutMs: 5000,
    intervalMs: 50,
    describeFailure: () => `still alive: ${[...tree].filter(isAlive).join(', ')}`,
  });
}

/** Synchronous SIGKILL of a process tree, for exit handlers. */
export function killTreeSync(pid: number): void {
  const tree = [pid, ...descendants(pid)];
  for (const p of tree) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Best effort during process exit: the process may already be gone.
    }
  }
}
