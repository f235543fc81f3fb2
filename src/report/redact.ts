/**
 * The bundle is posted to a channel, and unit files, supervisor programs and log lines often
 * carry a DATABASE_URL or a SECRET_KEY. Pure: masks credentials in URLs and the values of
 * secret-looking keys, leaving the key names so a reader still sees what is configured.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*):[^@\s/]+@/gi;
const SECRET_ASSIGNMENT = /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*)(["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;"']+)/gi;

export function redact(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1:***@').replace(SECRET_ASSIGNMENT, (_m, key: string, sep: string) => `${key}${sep}***`);
}
