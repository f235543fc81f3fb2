import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/**
 * Bolt's, the Socket Mode client's and the Web API clients' logging into our pino logger (and so
 * through its redaction), instead of their own console output. Warnings and up only: their info
 * and debug lines are per-request noise. `warnAs: 'debug'` for a client whose failures the caller
 * logs itself.
 */
export function boltLogger(log: Logger, warnAs: 'warn' | 'debug' = 'warn'): BoltLogger {
  const l = log.child({ component: 'bolt' });
  return {
    debug: (...m: unknown[]) => l.debug(m.join(' ')),
    info: (...m: unknown[]) => l.info(m.join(' ')),
    warn: (...m: unknown[]) => l[warnAs](m.join(' ')),
    error: (...m: unknown[]) => l.error(m.join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.WARN,
    setName: () => undefined,
  };
}
