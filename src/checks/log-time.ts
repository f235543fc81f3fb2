/*
 * Log timestamps → epoch milliseconds. Apps write their host's local wall time without a zone
 * (`2024-05-01 10:00:00,123`), or UTC with one (`2024-05-01T10:00:00.123Z`, gunicorn's
 * `[2024-05-01 10:00:00 +0000]`). The probe prints the host's own clock with its offset
 * (`date '+%Y-%m-%d %H:%M:%S %z'`), so a naive time is read in the host's zone and every record
 * compares with one "now" in one unit. (A naive time within an hour of a DST change may be off by
 * that hour; the window is minutes wide, so such a record may fall on the wrong side of it.)
 */

/** The host's clock as the probe printed it. */
export interface HostClock {
  /** Epoch ms of the host's "now"; null when the host printed no clock. */
  readonly nowMs: number | null;
  /** The host's offset from UTC in minutes (east positive); 0 when not printed. */
  readonly offsetMin: number;
  /** The naive local "now", as printed ("2024-05-01 10:00:00"), for messages. */
  readonly local: string;
}

// 2024-05-01 10:00:00   2024-05-01T10:00:00.123456+02:00   2024-05-01 10:00:00,123 +0000
export const TIMESTAMP_SOURCE = String.raw`\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?: ?(?:Z|[+-]\d\d:?\d\d))?`;
const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[.,](\d+))?(?: ?(Z|[+-]\d\d:?\d\d))?$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "2024-05-01 10:00:00 +0200" (or without the offset: read as UTC, as older probes printed it). */
export function parseHostClock(text: string): HostClock {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)(?: ([+-]\d{4}))?$/.exec(line);
  if (!m) return { nowMs: null, offsetMin: 0, local: '' };
  const offsetMin = m[2] ? offsetMinutes(m[2]) : 0;
  return { nowMs: parseLogTime(m[1] as string, offsetMin), offsetMin, local: m[1] as string };
}

/** A timestamp as apps write it → epoch ms; a naive one is the host's local time. Null if not one. */
export function parseLogTime(text: string, offsetMin: number): number | null {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  const utc = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, ms);
  if (Number.isNaN(utc)) return null;
  const off = zone === undefined ? offsetMin : zone === 'Z' ? 0 : offsetMinutes(zone);
  return utc - off * 60_000;
}

/**
 * A JSON log's time field: ISO text, or epoch seconds/milliseconds as a number or numeric string
 * (python-json-logger's `created`, structlog's `timestamp`, pino's `time`).
 */
export function parseAnyTime(value: unknown, offsetMin: number): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e11 ? value : value * 1000;
  if (typeof value !== 'string') return null;
  if (/^\d{9,}(?:\.\d+)?$/.test(value)) return parseAnyTime(Number(value), offsetMin);
  return parseLogTime(value, offsetMin);
}

/**
 * Classic syslog time (`Nov 25 22:05:31`, /var/log/kern.log on Debian and Ubuntu) has no year:
 * the host's year, or the one before when that would put it in the future (a log read on 1 January).
 */
export function parseSyslogTime(text: string, clock: HostClock): number | null {
  const m = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)$/.exec(text.trim());
  const month = m ? MONTHS.indexOf((m[1] as string).toLowerCase()) : -1;
  if (!m || month < 0 || clock.nowMs === null) return null;
  const year = new Date(clock.nowMs + clock.offsetMin * 60_000).getUTCFullYear();
  const at = (y: number): number => Date.UTC(y, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!) - clock.offsetMin * 60_000;
  const thisYear = at(year);
  return thisYear > clock.nowMs + 86_400_000 ? at(year - 1) : thisYear;
}

/** Epoch ms → the host's naive local time, "2024-05-01 10:00:00" (how people read the log). */
export function formatLocal(ms: number, offsetMin: number): string {
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

function offsetMinutes(zone: string): number {
  const m = /^([+-])(\d\d):?(\d\d)$/.exec(zone);
  if (!m) return 0;
  const v = +m[2]! * 60 + +m[3]!;
  return m[1] === '-' ? -v : v;
}
