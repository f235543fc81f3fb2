import { detectFormat, type LogFormatId, matchHeader } from './log-formats.js';
import { type Level, moreSevere } from './log-levels.js';
import { parseAnyTime } from './log-time.js';

/**
 * One log record: the line that starts it and every line that belongs to it (a traceback, the
 * `[SQL: …]` and "Background on this error" lines of a multi-line SQLAlchemy message, chained
 * exceptions). Signals are searched in all of it and counted once per record.
 */
export interface LogRecord {
  /** Epoch ms: its own time, else the last timestamped record's before it; null when none was. */
  readonly atMs: number | null;
  /** True when the record carries its own time. */
  readonly timed: boolean;
  /** Null: the line states none (bare stderr); an uncaught traceback is taken as an ERROR. */
  readonly level: Level | null;
  readonly lines: readonly string[];
  /** Lines in it that fit no known format and are no traceback either. */
  readonly unknownLines: number;
}

/** A line to group, with what its source already knows (the journal's time and PRIORITY). */
export interface SourceLine {
  readonly text: string;
  readonly atMs?: number | null;
  readonly level?: Level | null;
  /** The journal's source process: lines of different processes never join one record. */
  readonly origin?: string;
}

/*
 * A line that continues the record above it: indented traceback lines, the traceback's own
 * sentences, the final "pkg.SomeError: …" line, SQLAlchemy's extra message lines, loguru's
 * decorated traceback (`> File …`, `│ └ …`), a blank line.
 */
const CONTINUATION = new RegExp(
  [
    String.raw`^(?:\s|$|Traceback \(most recent call last\)|During handling of the above exception|The above exception was the direct cause`,
    String.raw`|Exception in thread |Exception ignored in|[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Timeout)\b`,
    String.raw`|\[SQL: |\[parameters: |\(Background on this error|[>└│├┌])`,
  ].join(''),
);
const TRACEBACK_START = /^Traceback \(most recent call last\)|^Exception in thread /;
const THREAD_EXCEPTION = /^Exception in thread /;
const CHAIN = /^(?:During handling of the above exception|The above exception was the direct cause)/;
/** The final line of a traceback: "sqlalchemy.exc.OperationalError: (pymysql.err…) (2013, …)". */
export const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning|Timeout)\b[^\n]*?:/;

interface Building {
  atMs: number | null;
  timed: boolean;
  level: Level | null;
  lines: string[];
  unknownLines: number;
  prefix: string | null;
  origin: string | undefined;
  /** A traceback in it reached its exception line (a new bare traceback then starts a new record). */
  tracebackDone: boolean;
  inTraceback: boolean;
  lastText: string;
}

export interface Grouped {
  readonly format: LogFormatId | null;
  readonly records: readonly LogRecord[];
}

/** Lines → records. The format is detected from the first lines; other known formats still count. */
export function groupRecords(lines: readonly SourceLine[], offsetMin: number): Grouped {
  const format = detectFormat(lines.map((l) => l.text));
  const out: Building[] = [];
  // The open record of each source: interleaved lines of two containers or processes each continue their own.
  const open = new Map<string | undefined, Building>();
  let lastTime: number | null = null;

  for (const line of lines) {
    const header = matchHeader(line.text, format);
    const ownTime = line.atMs ?? (header?.time ? parseAnyTime(header.time, offsetMin) : null);
    if (ownTime !== null) lastTime = ownTime;
    const cur = open.get(line.origin);
    const begin = (level: Level | null, prefix: string | null): Building => {
      const b = start(out, ownTime ?? lastTime, ownTime !== null, level, prefix, line.origin);
      open.set(line.origin, b);
      return b;
    };

    if (header && cur && header.prefix !== '' && header.prefix === cur.prefix && CONTINUATION.test(header.message)) {
      // oslo.log writes the record's whole prefix before every traceback line: still one record.
      append(cur, header.message, false);
      continue;
    }
    if (header) {
      const b = begin(moreSevere(line.level ?? null, header.level), header.prefix);
      append(b, header.message, false);
      for (const x of header.extra) append(b, x, false);
      continue;
    }
    // A thread's uncaught exception always starts its own report; a bare traceback does after a
    // finished one (unless chained to it: "During handling of the above exception…").
    const newReport = THREAD_EXCEPTION.test(line.text) || (TRACEBACK_START.test(line.text) && cur?.tracebackDone && !CHAIN.test(cur.lastText));
    const continues = CONTINUATION.test(line.text) && !newReport;
    if (cur && continues) {
      append(cur, line.text, false);
      continue;
    }
    // A line of no known format: its own record (bare stderr), unless the source knows its level
    // (a journal entry), in which case it is not "unknown" either.
    const known = line.level !== undefined && line.level !== null;
    append(begin(line.level ?? null, null), line.text, !known && !CONTINUATION.test(line.text));
  }
  return { format, records: out.map(finish) };
}

function start(out: Building[], atMs: number | null, timed: boolean, level: Level | null, prefix: string | null, origin: string | undefined): Building {
  const b: Building = { atMs, timed, level, lines: [], unknownLines: 0, prefix, origin, tracebackDone: false, inTraceback: false, lastText: '' };
  out.push(b);
  return b;
}

function append(b: Building, text: string, unknown: boolean): void {
  b.lines.push(text);
  if (unknown) b.unknownLines++;
  if (TRACEBACK_START.test(text)) b.inTraceback = true;
  else if (b.inTraceback && EXCEPTION_LINE.test(text)) b.tracebackDone = true;
  if (CHAIN.test(text)) b.tracebackDone = false;
  if (text.trim() !== '') b.lastText = text;
}

function finish(b: Building): LogRecord {
  // An uncaught exception printed bare (no logging, a thread's death) is an error.
  const level = b.level ?? (b.inTraceback ? 'ERROR' : null);
  return { atMs: b.atMs, timed: b.timed, level, lines: b.lines, unknownLines: b.unknownLines };
}
