import type { LogFormatId } from './log-formats.js';
import { groupRecords, type LogRecord, type SourceLine } from './log-records.js';
import { parseLogTime } from './log-time.js';

/** An app log file's tail, read: the records in the window and what could not be read. */
export interface AppLogRead {
  readonly format: LogFormatId | null;
  /** A container runtime's or compose's prefix was stripped from the lines ("web-1  | "). */
  readonly containerPrefix: boolean;
  /** The records inside the window, oldest first. */
  readonly records: readonly LogRecord[];
  /** Lines in those records that fit no known format. */
  readonly unknownLines: number;
  /** False when no line carries a time: the file's mtime decided whether it is recent. */
  readonly timed: boolean;
}

// ANSI colours (compose colours its prefixes; loguru colours when it thinks it has a terminal).
const ANSI = /\x1b\[[0-9;]*m/g;
/*
 * Prefixes put before every line of an app's output:
 *   web-1  | …   (docker compose v2)    web_1  | …   (docker-compose v1)
 *   [web]  | …   (podman-compose)       [pod/web-5d9f/web] …   (kubectl logs --prefix)
 *   e46b75778e47 …   mmlogs_web_1 2026-…Z …   (podman logs of several containers, interleaved)
 * then, with --timestamps, the runtime's RFC 3339 time: 2024-05-01T10:00:00.123456789Z …
 */
// A log copied from syslog or `journalctl` (short format): "Sep 05 09:02:18 web1 nova-conductor[14994]: …".
const SYSLOG_PREFIX = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ [^\s:[]+(?:\[\d+\])?: /;
// podman logs of several containers: the 12-hex container id, or with -n -t the name before the runtime's time.
const PODMAN_ID = /^[0-9a-f]{12} /;
const PODMAN_NAME = /^[\w.-]+ (?=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z )/;
const PREFIXES = [/^[\w.-]+ *\| ?/, /^\[[\w.-]+\] *\| ?/, /^\[pod\/[^\]\s]+\] /, PODMAN_ID, PODMAN_NAME, SYSLOG_PREFIX];
const RUNTIME_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) /;

/**
 * Pure: the tail of an app log → the records of the last `windowMs`. A file with no timestamps at
 * all (basicConfig's "ERROR:app:…", bare stderr) is recent as a whole when it changed within the
 * window (`mtimeMs`, read on the host), else none of it is.
 */
export function readAppLog(text: string, nowMs: number | null, offsetMin: number, windowMs: number, mtimeMs: number | null): AppLogRead {
  const raw = text.split('\n').map((l) => l.replace(ANSI, '').replace(/\r$/, ''));
  while (raw.length && raw[raw.length - 1] === '') raw.pop();
  const prefix = containerPrefix(raw);
  const lines: SourceLine[] = raw.map((line) => {
    // The prefix names the container: lines of two containers, interleaved, never join one record.
    const origin = prefix ? (prefix.exec(line)?.[0].trim() ?? '') : undefined;
    const bare = prefix ? line.replace(prefix, '') : line;
    const t = RUNTIME_TIME.exec(bare);
    return t ? { text: bare.slice(t[0].length), atMs: parseLogTime(t[1] as string, 0), origin } : { text: bare, origin };
  });
  const { format, records } = groupRecords(joinSplitJson(lines), offsetMin);
  const timed = records.some((r) => r.timed);
  const since = nowMs === null ? null : nowMs - windowMs;
  let inWindow: readonly LogRecord[];
  if (since === null)
    inWindow = records; // the host printed no clock: keep the whole tail
  else if (timed) {
    // Records before the file's first timestamp (bare stderr above Flask's first line) have no
    // time of their own: they count when that first timestamp is in the window and the file changed
    // within it, so an error printed bare just before it is not lost.
    const firstTimed = records.find((r) => r.atMs !== null);
    const leadIn = firstTimed?.atMs != null && firstTimed.atMs >= since && mtimeMs !== null && mtimeMs >= since;
    inWindow = records.filter((r) => (r.atMs !== null ? r.atMs >= since : leadIn));
  } else inWindow = mtimeMs !== null && mtimeMs >= since ? records : [];
  return {
    format,
    containerPrefix: prefix !== null,
    records: inWindow,
    unknownLines: inWindow.reduce((n, r) => n + r.unknownLines, 0),
    timed,
  };
}

/** The prefix pattern most of the first lines carry, when at least half of them do. */
function containerPrefix(lines: readonly string[]): RegExp | null {
  const sample = lines.filter((l) => l.trim() !== '').slice(0, 200);
  if (!sample.length) return null;
  for (const re of PREFIXES) {
    const n = sample.filter((l) => re.test(l)).length;
    if (n * 2 >= sample.length) return re;
  }
  return null;
}

/**
 * Container runtimes split a long line into pieces (conmon and Docker's json-file at 8–16 KB): a
 * JSON record with a traceback in it arrives as `{"time": …, "exception": "Traceback…` and the rest
 * on the next line(s) of the same container. Rejoin pieces until the object parses (at most 16).
 */
function joinSplitJson(lines: readonly SourceLine[]): SourceLine[] {
  const out: SourceLine[] = [];
  const used = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    if (used.has(i)) continue;
    const line = lines[i]!;
    if (!line.text.startsWith('{"') || parses(line.text)) {
      out.push(line);
      continue;
    }
    let text = line.text;
    const taken: number[] = [];
    for (let j = i + 1; j < lines.length && taken.length < 16; j++) {
      if (used.has(j) || lines[j]!.origin !== line.origin) continue;
      text += lines[j]!.text;
      taken.push(j);
      if (parses(text)) break;
    }
    if (parses(text)) {
      for (const j of taken) used.add(j);
      out.push({ ...line, text });
    } else out.push(line);
  }
  return out;
}

function parses(text: string): boolean {
  if (!text.trimEnd().endsWith('}')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
