/**
 * Times as text, always in UTC (the bot's hosts and its readers may sit in any zone; Slack shows
 * its own `<!date>` in each reader's zone and uses these as the fallback). Neutral: the terminal,
 * files, commands' sentences and Slack fallbacks all write times with these.
 */
const iso = (ms: number): string => new Date(ms).toISOString();

/** `2026-01-15 12:00 UTC`: a silence's end, an incident's start. */
export const utcDateTime = (ms: number): string => `${iso(ms).slice(0, 16).replace('T', ' ')} UTC`;

/** `12:00 UTC`: a time within the next hours (a retry, an expiry). */
export const utcClock = (ms: number): string => `${iso(ms).slice(11, 16)} UTC`;

/** `12:00:05`: when a host was last checked, in the terminal's table of hosts. */
export const utcSeconds = (ms: number): string => iso(ms).slice(11, 19);
