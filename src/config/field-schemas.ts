import { z } from 'zod';
import { parseDuration } from './duration.js';

/** The field types the config schema is built from: durations, names and paths safe in command templates. */

/*
 * A bare number is refused (60 could mean seconds or milliseconds), but the error proposes the
 * likely spelling: `healthTimeout: 5` → "a duration like 5s or 500ms — write 5s". From 1000 up a
 * number is as likely milliseconds, so both readings are offered.
 */
export const notText = (what: string) => (issue: { input?: unknown }) => {
  const n = issue.input;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return what;
  return `${what} — write ${n < 1000 ? `${n}s` : `${n}ms, or ${n}s if you meant seconds`}`;
};

export const duration = z.string({ error: notText('a duration like 5s or 500ms') }).transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration — write e.g. 500ms, 30s, 5m or 1h` });
    return z.NEVER;
  }
  return ms;
});

/*
 * watch.retryInterval: a duration of at least 1 s, or `off` / `0s` (→ 0) for no fast re-checks.
 * The floor keeps a failing host from being hammered: each retry is a full cheap set over SSH.
 */
export const retryInterval = z.string({ error: notText('a retry interval like 10s, or off') }).transform((text, ctx) => {
  const ms = text.trim() === 'off' ? 0 : parseDuration(text);
  if (ms === undefined || (ms > 0 && ms < 1000)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a retry interval — write e.g. 10s (at least 1s), or off` });
    return z.NEVER;
  }
  return ms;
});

// Values that end up inside shell command templates are restricted to what a service name or a
// path needs. Quoting already makes them safe; this makes a mistake visible at start instead.
// Quoting does not stop a leading "-": `systemctl restart '--help'` still reads it as an option.
// processMatch is only matched inside the bot (parse-ps.ts) today, but it names a process the same
// way and would become an option the day it is handed to pgrep, so it obeys the same rule.
export const noLeadingDash = (what: string) =>
  [(s: string) => !s.startsWith('-'), `may not start with "-" (a command would read it as an option) — give ${what}, e.g. moneymind`] as const;
export const serviceName = z
  .string()
  .regex(/^[A-Za-z0-9@._:-]{1,128}$/, 'letters, digits and @ . _ : - only')
  .refine(...noLeadingDash('the systemd unit or supervisor program name itself'));
export const absPath = z.string().regex(/^\/[A-Za-z0-9._/@+=,-]{0,1023}$/, 'an absolute path without spaces or shell characters');
export const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like MONEYMIND_PROD1_MYSQL_PASSWORD');
export const port = z.number().int().min(1).max(65535);
export const fingerprint = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256 fingerprint as `ssh-keygen -lf` prints it (SHA256: then 43 characters)');
