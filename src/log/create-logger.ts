import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import { redact as patterns, type Redact } from '../boundary/redact.js';
import { redactingStream } from './redacting-stream.js';

/**
 * The one root logger. Secrets are redacted here, at the root, so no child can leak them: fields
 * named like tokens, passwords, private keys, Slack signatures and Authorization headers (pino's
 * paths below), and then every line as text (host text in messages, errors and stacks).
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  'privateKey',
  '*.privateKey',
  '*.*.privateKey',
  'token',
  '*.token',
  'botToken',
  'appToken',
  'signingSecret',
  '*.signingSecret',
  'headers.authorization',
  '*.headers.authorization',
  'headers["x-slack-signature"]',
  '*.headers["x-slack-signature"]',
  'authorization',
];

export interface LoggerOptions {
  readonly level?: string;
  /** Defaults to stderr, synchronously: a CLI run exits right after its last line. */
  readonly destination?: pino.DestinationStream;
  /** Human-readable lines through pino-pretty, a dev dependency: for development only. */
  readonly pretty?: boolean;
  /** The process's Redactor (patterns + configured secrets); the patterns alone by default. */
  readonly redact?: Redact;
}

/** pino-pretty when asked for and installed (a checkout); JSON otherwise (production has no dev deps). */
function prettyStream(): pino.DestinationStream | undefined {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    return undefined; // not installed: production image, JSON it is
  }
  return pino.transport({ target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss.l' } }) as pino.DestinationStream;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'moneymind',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    redactingStream(opts.destination ?? (opts.pretty ? prettyStream() : undefined) ?? pino.destination({ fd: 2, sync: true }), opts.redact ?? patterns),
  );
}
