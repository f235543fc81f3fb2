import { OpsError } from '../errors.js';
import type { HostTransport, SqlSession } from '../remote/host-transport.js';
import type { Redact } from './redact.js';

/**
 * Where host text enters the bot: everything a host answers — command output, /health bodies,
 * MySQL rows, and the errors built from what it said — is redacted here, before any check parses,
 * clips or quotes it. A check that cuts a line at 300 characters can then never cut a password
 * in half and leave its first part. The transport pool wraps every transport it makes.
 */
export function redactingTransport(inner: HostTransport, redact: Redact): HostTransport {
  const guard = <T>(work: Promise<T>): Promise<T> =>
    work.catch((err: unknown) => {
      throw redactedError(err, redact);
    });
  const session = (db: SqlSession): SqlSession => ({
    query: async <T extends Record<string, unknown>>(sql: string): Promise<T[]> =>
      (await db.query<T>(sql)).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? redact(v) : v])) as T),
  });
  return {
    description: inner.description,
    ...(inner.selfPid === undefined ? {} : { selfPid: inner.selfPid }),
    exec: (command, opts) => guard(inner.exec(command, opts)).then((r) => ({ ...r, stdout: redact(r.stdout), stderr: redact(r.stderr) })),
    httpGet: (url, opts) => guard(inner.httpGet(url, opts)).then((r) => ({ ...r, body: redact(r.body) })),
    withMysql: (target, timeoutMs, fn) => guard(inner.withMysql(target, timeoutMs, (db) => fn(session(db)))),
    close: () => inner.close(),
  };
}

/**
 * The same error with its texts redacted: an OpsError keeps its code, fix and jump host (checks
 * decide on the code, the diagnosis on the hop), its cause becomes a plain Error carrying the redacted message and stack (the logs
 * print the cause; a MySQL or SSH error object can quote what the host said).
 */
export function redactedError(err: unknown, redact: Redact): unknown {
  if (err instanceof OpsError) {
    return new OpsError(err.code, redact(err.message), {
      fix: err.fix === undefined ? undefined : redact(err.fix),
      cause: err.cause === undefined ? undefined : redactedCause(err.cause, redact),
      ...(err.jumpHost === undefined ? {} : { jumpHost: err.jumpHost }),
    });
  }
  return redactedCause(err, redact);
}

function redactedCause(cause: unknown, redact: Redact): Error {
  if (!(cause instanceof Error)) return new Error(redact(String(cause)));
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  copy.stack = cause.stack === undefined ? undefined : redact(cause.stack);
  const code = (cause as { code?: unknown }).code;
  if (code !== undefined) Object.assign(copy, { code });
  return copy;
}
