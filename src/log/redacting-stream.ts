import type pino from 'pino';
import type { Redact } from '../boundary/redact.js';

/**
 * Every log line, redacted as text on its way out: pino's path redaction only knows field names,
 * while host text arrives as messages, error messages and stacks (an SSH error quoting a command,
 * a MySQL error, Bolt's own warnings). The masks keep a JSON line JSON: values are replaced
 * inside their quotes.
 */
export function redactingStream(inner: pino.DestinationStream, redact: Redact): pino.DestinationStream {
  const s = inner as pino.DestinationStream & { flush?: (cb?: (err?: Error) => void) => void; flushSync?: () => void };
  return {
    write: (line: string) => s.write(redact(line)),
    // pino flushes the destination at exit and on logger.flush(): pass those through.
    ...(typeof s.flush === 'function' ? { flush: (cb?: (err?: Error) => void) => s.flush!(cb) } : {}),
    ...(typeof s.flushSync === 'function' ? { flushSync: () => s.flushSync!() } : {}),
  } as pino.DestinationStream;
}
