/** What the process manager said about the app's process in the window: exits, restarts, giving up. */
export interface CrashEvents {
  readonly manager: 'systemd' | 'supervisor';
  /** Exits the manager did not expect (a crash, a kill), newest last. */
  readonly exits: number;
  /** The last such exit as the manager worded it. */
  readonly lastExit: string | null;
  /** systemd's restart counter as last reported ("restart counter is at 5"); null when not said. */
  readonly restartCounter: number | null;
  /** The manager stopped restarting it: "Start request repeated too quickly", "gave up: … FATAL". */
  readonly gaveUp: string | null;
  /** systemd's own OOM messages for the unit ("killed by the OOM killer", result 'oom-kill'). */
  readonly oomKills: number;
  /** supervisord: the pids it spawned the program as (to recognise the app among OOM victims). */
  readonly pids: readonly number[];
  /**
   * When the app's process died of SIGKILL. On a cgroup-v1 host systemd cannot tell an OOM kill
   * from `kill -9` ("Failed with result 'signal'"), but the kernel's kill is logged within
   * milliseconds of it (test/fixtures/kernel/ and systemd/journal-oom-kill-*.json).
   */
  readonly sigkilledAt: readonly number[];
}

export interface TimedLine {
  readonly atMs: number | null;
  readonly text: string;
}

/*
 * systemd's messages about a unit (journalctl -u, PID 1; test/fixtures/systemd/):
 *   moneymind.service: Main process exited, code=killed, status=9/KILL
 *   moneymind.service: Main process exited, code=exited, status=1/FAILURE
 *   moneymind.service: A process of this unit has been killed by the OOM killer.
 *   moneymind.service: Failed with result 'oom-kill'.
 *   moneymind.service: Scheduled restart job, restart counter is at 3.
 *   moneymind.service: Start request repeated too quickly.
 * Older systemd: "Service hold-off time over, scheduling restart." A clean exit (status=0/SUCCESS,
 * or SIGTERM on stop) is logged at debug level, so it never reaches these lines.
 */
const MAIN_EXITED = /Main process exited, code=(?:exited|killed|dumped), status=(\S+)/;
const RESTART_COUNTER = /restart counter is at (\d+)/;
const START_LIMIT = /Start request repeated too quickly|Failed with result 'start-limit-hit'/;
const UNIT_OOM = /killed by the OOM killer|Failed with result 'oom-kill'/;

/** Pure: systemd's own journal entries about the unit → its crash events. */
export function systemdCrashEvents(lines: readonly TimedLine[]): CrashEvents {
  let exits = 0;
  let lastExit: string | null = null;
  let counter: number | null = null;
  let gaveUp: string | null = null;
  let oomKills = 0;
  let oomFromResult = 0;
  const sigkilledAt: number[] = [];
  for (const { text, atMs } of lines) {
    const exited = MAIN_EXITED.exec(text);
    if (exited && !/^0\//.test(exited[1] as string)) {
      exits++;
      lastExit = unitMessage(text);
      if (exited[1] === '9/KILL' && atMs !== null) sigkilledAt.push(atMs);
    }
    const c = RESTART_COUNTER.exec(text);
    if (c) counter = Number(c[1]);
    if (START_LIMIT.test(text)) gaveUp = unitMessage(text);
    // systemd says both lines for one kill; count the kill once (the "killed by" line when present).
    if (/killed by the OOM killer/.test(text)) oomKills++;
    else if (UNIT_OOM.test(text)) oomFromResult++;
  }
  return { manager: 'systemd', exits, lastExit, restartCounter: counter, gaveUp, oomKills: oomKills || oomFromResult, pids: [], sigkilledAt };
}

/*
 * supervisord's own log (maintail; test/fixtures/supervisord/):
 *   2024-05-01 10:00:00,123 INFO spawned: 'moneymind' with pid 4242
 *   2024-05-01 10:00:01,125 WARN exited: moneymind (exit status 1; not expected)
 *   2024-05-01 10:00:05,130 INFO exited: moneymind (terminated by SIGKILL; not expected)
 *   2024-05-01 10:00:09,140 INFO gave up: moneymind entered FATAL state, too many start retries too quickly
 * "(exit status 0; expected)" and "stopped: moneymind (terminated by SIGTERM)" are normal.
 */
/** Pure: supervisord's log lines in the window → the program's crash events. */
export function supervisordCrashEvents(lines: readonly TimedLine[], program: string): CrashEvents {
  const names = new Set([program, program.split(':').pop() ?? program]);
  let exits = 0;
  let lastExit: string | null = null;
  let gaveUp: string | null = null;
  const pids: number[] = [];
  const sigkilledAt: number[] = [];
  for (const { text, atMs } of lines) {
    const m = /(spawned|exited|gave up): '?([^\s']+)'? (.*)$/.exec(text);
    if (!m || !names.has(m[2] as string)) continue;
    const [, what, , rest = ''] = m;
    if (what === 'spawned') {
      const pid = /with pid (\d+)/.exec(rest);
      if (pid) pids.push(Number(pid[1]));
    } else if (what === 'exited' && /not expected/.test(rest)) {
      exits++;
      lastExit = m[0];
      if (/terminated by SIGKILL/.test(rest) && atMs !== null) sigkilledAt.push(atMs);
    } else if (what === 'gave up') {
      gaveUp = m[0];
    }
  }
  return { manager: 'supervisor', exits, lastExit, restartCounter: null, gaveUp, oomKills: 0, pids, sigkilledAt };
}

/** "moneymind.service: Main process exited, …" → "Main process exited, …" (the unit is known). */
function unitMessage(text: string): string {
  return text
    .replace(/^[\w@.\\-]+\.service: /, '')
    .trim()
    .slice(0, 200);
}
