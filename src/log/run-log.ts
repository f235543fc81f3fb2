/**
 * The slice of a pino logger the core uses, so checks and diagnosis depend on an interface, not
 * on pino itself (a pino Logger satisfies it).
 */
export interface RunLog {
  child(bindings: Record<string, unknown>): RunLog;
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** For callers that do not log (unit tests, one-off tools). */
export const silentLog: RunLog = {
  child: () => silentLog,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
