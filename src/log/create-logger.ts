import pino, { type Logger } from 'pino';

/**
 * The one root logger. Secrets are redacted here, at the root, so no child can leak them:
 * tokens, passwords, private keys, Slack signatures and Authorization headers, wherever they sit.
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
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  return pino(
    {
      name: 'moneymind',
      level: opts.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { pid: process.pid },
    },
    opts.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
