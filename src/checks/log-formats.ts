import { LEVEL_WORDS, type Level, levelFromJson, levelFromWord } from './log-levels.js';
import { TIMESTAMP_SOURCE } from './log-time.js';

/** The record formats Python web apps write, by the name the logs check reports. */
export type LogFormatId = 'runbook' | 'flask' | 'basic' | 'dash' | 'oslo' | 'loguru' | 'gunicorn' | 'json' | 'timestamped' | 'level-first';

/** A line that starts a record: its time as written (null: the format has none), level, message. */
export interface Header {
  readonly time: string | null;
  readonly level: Level | null;
  readonly message: string;
  /** Everything before the message (oslo repeats it on every traceback line). */
  readonly prefix: string;
  /** Extra lines the record carries in itself (a JSON record's exception text). */
  readonly extra: readonly string[];
}

interface LineFormat {
  readonly id: LogFormatId;
  readonly label: string;
  match(line: string): Header | null;
}

const TS = TIMESTAMP_SOURCE;
const LV = `(?:${LEVEL_WORDS})`;

/** A format from a regex with named groups ts, level, msg (the prefix is what precedes msg). */
function regexFormat(id: LogFormatId, label: string, source: string, flags = ''): LineFormat {
  const re = new RegExp(source, flags);
  return {
    id,
    label,
    match(line) {
      const m = re.exec(line);
      const g = m?.groups;
      if (!m || !g) return null;
      const level = levelFromWord(g.level ?? '');
      if (!level) return null;
      const message = g.msg ?? '';
      return { time: g.ts ?? null, level, message, prefix: line.slice(0, line.length - message.length), extra: [] };
    },
  };
}

/*
 * Example lines, one per format (the fixtures in test/fixtures/app-logs/ hold real runs of each):
 *   runbook   2024-05-01 10:00:00,123 ERROR: Health check failed: … [in /opt/moneymind/app.py:88]
 *             (also supervisord's own log: 2024-05-01 10:00:00,123 INFO exited: moneymind (…))
 *   flask     [2024-05-01 10:00:00,123] ERROR in app: Exception on /report [GET]
 *   basic     ERROR:app:Health check failed: …            (logging.basicConfig(): no time at all)
 *   dash      2024-05-01 10:00:00,123 - app - ERROR - Health check failed: …
 *   oslo      2024-05-01 10:00:00.123 4242 ERROR moneymind.app Health check failed: …
 *   loguru    2024-05-01 10:00:00.123 | ERROR    | app:health:88 - Health check failed: …
 *   gunicorn  [2024-05-01 10:00:00 +0000] [4242] [CRITICAL] WORKER TIMEOUT (pid:4243)
 *   json      {"asctime": "…", "levelname": "ERROR", "message": "…", "exc_info": "Traceback …"}
 */
const FORMATS: readonly LineFormat[] = [
  regexFormat('flask', "Flask's default handler", String.raw`^\[(?<ts>${TS})\] (?<level>${LV}) in [\w.<>-]+: ?(?<msg>.*)$`),
  regexFormat('gunicorn', 'gunicorn', String.raw`^\[(?<ts>${TS})\] \[\d+\] \[(?<level>${LV})\] ?(?<msg>.*)$`, 'i'),
  regexFormat('loguru', 'loguru', String.raw`^(?<ts>${TS}) \| (?<level>${LV}) *\| ?(?<msg>.*)$`, 'i'),
  regexFormat('dash', '"time - name - LEVEL - message"', String.raw`^(?<ts>${TS}) - \S+ - (?<level>${LV}) - ?(?<msg>.*)$`, 'i'),
  regexFormat('oslo', '"time pid LEVEL name message" (oslo)', String.raw`^(?<ts>${TS}) \d+ (?<level>${LV}) \S+ ?(?<msg>.*)$`, 'i'),
  regexFormat('runbook', "the runbook's", String.raw`^(?<ts>${TS})\s+(?<level>${LV}):?(?: (?<msg>.*))?$`, 'i'),
  // Upper case only: a line that merely starts "error:" is not a basicConfig record.
  regexFormat('basic', 'basicConfig ("LEVEL:name:message")', String.raw`^(?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL):[\w.\-<>]*:(?<msg>.*)$`),
  { id: 'json', label: 'JSON lines', match: matchJson },
  // Then: a time first and a level word among the next few tokens or bracketed fields
  // ("2024-… [ERROR] …", "2024-… app ERROR …", "[2024-…][MainProcess][MainThread][ERROR]: …").
  regexFormat('timestamped', 'time + level', String.raw`^\[?(?<ts>${TS})\]?(?:\s*\[[^\]\n]*\]|\s+[^\s|\[]+){0,4}?\s*\[?(?<level>${LV})\]?:?\s(?<msg>.*)$`),
  // Last: no time, the level first ("ERROR oslo_messaging.rpc.server …" after a syslog prefix,
  // "[ERROR] Error handling request /"); upper case only, as apps write it.
  regexFormat('level-first', 'level first, no time', String.raw`^\[?(?<level>DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\]?:? (?<msg>.*)$`),
];

/** The format whose header a line is, trying `preferred` first (the file's own format). */
export function matchHeader(line: string, preferred: LogFormatId | null): Header | null {
  // No format starts with a blank: traceback lines (most of a failing log) skip every regex.
  if (line === '' || line.charCodeAt(0) <= 32) return null;
  const first = preferred ? FORMATS.find((f) => f.id === preferred) : undefined;
  const own = first?.match(line);
  if (own) return own;
  for (const f of FORMATS) {
    if (f === first) continue;
    const h = f.match(line);
    if (h) return h;
  }
  return null;
}

/** The format most of the first lines are written in (null: none of them is a known header). */
export function detectFormat(lines: readonly string[]): LogFormatId | null {
  const score = new Map<LogFormatId, number>();
  for (const line of lines.slice(0, 200)) {
    if (line === '' || line.charCodeAt(0) <= 32) continue;
    const f = FORMATS.find((x) => x.match(line));
    if (f) score.set(f.id, (score.get(f.id) ?? 0) + 1);
  }
  let best: LogFormatId | null = null;
  for (const [id, n] of score) if (best === null || n > (score.get(best) ?? 0)) best = id;
  return best;
}

export function formatLabel(id: LogFormatId): string {
  return FORMATS.find((f) => f.id === id)?.label ?? id;
}

const TIME_KEYS = ['asctime', 'time', 'timestamp', '@timestamp', 'ts', 'datetime', 'created'];
const LEVEL_KEYS = ['levelname', 'level', 'severity', 'log.level', 'lvl', 'loglevel', 'levelno'];
const MESSAGE_KEYS = ['message', 'msg', 'event', 'text'];
const EXCEPTION_KEYS = ['exc_info', 'exception', 'exc_text', 'stack_trace', 'stack_info', 'traceback', 'stack', 'error'];

/**
 * One JSON object per line (python-json-logger, structlog, custom formatters): the field names
 * differ by library, so the first present of each list is taken. The exception, when the
 * formatter put it in a field, is part of the record.
 */
function matchJson(line: string): Header | null {
  if (!line.startsWith('{') || !line.trimEnd().endsWith('}')) return null;
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return null;
  const rec = o as Record<string, unknown>;
  const pick = (keys: readonly string[]): unknown => keys.map((k) => rec[k]).find((v) => v !== undefined && v !== null && v !== '');
  const message = pick(MESSAGE_KEYS);
  const level = levelFromJson(pick(LEVEL_KEYS));
  if (message === undefined && level === null) return null;
  const time = pick(TIME_KEYS);
  const exception = pick(EXCEPTION_KEYS);
  const extra = typeof exception === 'string' ? exception.split('\n') : exception !== undefined ? [JSON.stringify(exception)] : [];
  return {
    time: typeof time === 'string' || typeof time === 'number' ? String(time) : null,
    level,
    message: typeof message === 'string' ? message : JSON.stringify(message ?? ''),
    prefix: '',
    extra,
  };
}
