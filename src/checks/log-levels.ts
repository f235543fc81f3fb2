/** A record's level, as every format's words and numbers map onto Python's five. */
export type Level = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

/** The level words the formats use, for their regexes (case-insensitive where a format allows it). */
export const LEVEL_WORDS = 'DEBUG|DEBG|TRACE|TRAC|BLAT|INFO|NOTICE|SUCCESS|WARNING|WARN|ERROR|ERRO|ERR|EXCEPTION|CRITICAL|CRIT|FATAL|ALERT|EMERG';

/**
 * Python's names, plus loguru's (SUCCESS, TRACE), syslog's (ERR, CRIT, ALERT, EMERG, NOTICE) and
 * supervisord's four-letter ones (WARN, ERRO, CRIT, DEBG, TRAC, BLAT). CRITICAL, FATAL and CRIT are
 * errors everywhere, as critical.
 */
export function levelFromWord(word: string): Level | null {
  switch (word.toUpperCase()) {
    case 'DEBUG':
    case 'DEBG':
    case 'TRACE':
    case 'TRAC':
    case 'BLAT':
      return 'DEBUG';
    case 'INFO':
    case 'NOTICE':
    case 'SUCCESS':
      return 'INFO';
    case 'WARNING':
    case 'WARN':
      return 'WARNING';
    case 'ERROR':
    case 'ERRO':
    case 'ERR':
    case 'EXCEPTION':
      return 'ERROR';
    case 'CRITICAL':
    case 'CRIT':
    case 'FATAL':
    case 'ALERT':
    case 'EMERG':
      return 'CRITICAL';
    default:
      return null;
  }
}

/** The journal's PRIORITY (syslog: 0 emerg … 7 debug) → a level. */
export function levelFromPriority(priority: number): Level {
  if (priority <= 2) return 'CRITICAL';
  if (priority === 3) return 'ERROR';
  if (priority === 4) return 'WARNING';
  if (priority <= 6) return 'INFO';
  return 'DEBUG';
}

/** A JSON log's level: a word, or Python's number (`levelno`: 10 DEBUG … 50 CRITICAL). */
export function levelFromJson(value: unknown): Level | null {
  if (typeof value === 'string') return levelFromWord(value.trim());
  if (typeof value !== 'number') return null;
  if (value >= 50) return 'CRITICAL';
  if (value >= 40) return 'ERROR';
  if (value >= 30) return 'WARNING';
  if (value >= 20) return 'INFO';
  return 'DEBUG';
}

export const isErrorLevel = (l: Level | null): boolean => l === 'ERROR' || l === 'CRITICAL';

const RANK: Record<Level, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 };

/**
 * The journal's PRIORITY and the level an app wrote in its own record can disagree: an app
 * logging "ERROR: …" to stderr gets PRIORITY 6 (info) from systemd. The more severe one counts.
 */
export function moreSevere(a: Level | null, b: Level | null): Level | null {
  if (a === null) return b;
  if (b === null) return a;
  return RANK[a] >= RANK[b] ? a : b;
}
