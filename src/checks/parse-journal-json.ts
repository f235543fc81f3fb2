import { type Level, levelFromPriority } from './log-levels.js';

/** One journal entry as `journalctl -o json` prints it, reduced to what the checks read. */
export interface JournalEntry {
  readonly atMs: number | null;
  readonly priority: number;
  readonly level: Level;
  readonly message: string;
  /** SYSLOG_IDENTIFIER ("python3", "systemd", "kernel", "systemd-oomd"). */
  readonly identifier: string;
  readonly pid: string;
}

export interface JournalRead {
  readonly entries: readonly JournalEntry[];
  /** Lines that are not entries: journalctl's own complaints ("No journal files were opened…"). */
  readonly notes: readonly string[];
}

/**
 * `journalctl -o json` (one object per line). Example input (systemd 252, test/fixtures/systemd/):
 *   {"__REALTIME_TIMESTAMP":"1764127092516223","PRIORITY":"5","SYSLOG_IDENTIFIER":"systemd","_PID":"1",
 *    "MESSAGE":"moneymind.service: Main process exited, code=killed, status=9/KILL", …}
 * The level is PRIORITY's (systemd gives an app's plain stdout and stderr 6, "info"; `<3>` before a
 * line makes it 3). MESSAGE is an array of bytes when it is not valid UTF-8.
 */
export function parseJournalJson(text: string): JournalRead {
  const entries: JournalEntry[] = [];
  const notes: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const o = parseObject(line);
    if (!o) {
      notes.push(line.trim());
      continue;
    }
    const priority = Number.parseInt(String(o.PRIORITY ?? '6'), 10);
    const p = Number.isNaN(priority) ? 6 : priority;
    const usec = typeof o.__REALTIME_TIMESTAMP === 'string' ? Number(o.__REALTIME_TIMESTAMP) : Number.NaN;
    entries.push({
      atMs: Number.isFinite(usec) ? Math.floor(usec / 1000) : null,
      priority: p,
      level: levelFromPriority(p),
      message: messageText(o.MESSAGE),
      identifier: typeof o.SYSLOG_IDENTIFIER === 'string' ? o.SYSLOG_IDENTIFIER : '',
      pid: typeof o._PID === 'string' ? o._PID : '',
    });
  }
  return { entries, notes };
}

/** systemd's own entries about a unit (PID 1), as opposed to what the unit's processes wrote. */
export const isManagerEntry = (e: JournalEntry): boolean => e.pid === '1' || (e.identifier === 'systemd' && e.pid === '');

function parseObject(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const o: unknown = JSON.parse(line);
    return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function messageText(m: unknown): string {
  if (typeof m === 'string') return m;
  if (Array.isArray(m) && m.every((b) => typeof b === 'number')) return decoder.decode(Uint8Array.from(m as number[]));
  return m === undefined || m === null ? '' : String(m);
}
