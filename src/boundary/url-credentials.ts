import { MASK } from './keyed-secrets.js';

/*
 * scheme://user:PASSWORD@host. The password runs to the last '@' of the URL's token (up to a
 * space, a quote or an angle bracket), so one holding '@', '/', ':' or '#' — never valid in a
 * URL, often seen in one — is masked whole. Scanned by hand from each "://", each token once:
 * a regex over "every '@' that may end the password" backtracks quadratically on hostile input.
 */
const SCHEME_CHAR = /[A-Za-z0-9+.-]/;
const TOKEN_END = /[\s"'<>]/g;
const USER_END = /[\s:/?#@"'<>]/g;

export function maskUrlCredentials(text: string): string {
  let out = '';
  let copied = 0;
  let from = 0;
  for (let sep = text.indexOf('://', from); sep >= 0; sep = text.indexOf('://', from)) {
    from = sep + 3;
    if (!startsScheme(text, sep)) continue;
    USER_END.lastIndex = from;
    const userEnd = USER_END.exec(text)?.index ?? text.length;
    if (text[userEnd] !== ':' || userEnd - from > 256) continue;
    TOKEN_END.lastIndex = userEnd;
    const tokenEnd = TOKEN_END.exec(text)?.index ?? text.length;
    const at = text.lastIndexOf('@', tokenEnd - 1);
    // No '@' after the colon: no credentials in this token, and none in any URL later in it.
    if (at <= userEnd) {
      from = Math.max(from, tokenEnd);
      continue;
    }
    out += `${text.slice(copied, userEnd + 1)}${MASK}`;
    copied = at;
    from = at + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A scheme (a letter, then up to 30 of [A-Za-z0-9+.-]) ends at `sep` and starts a word. */
function startsScheme(text: string, sep: number): boolean {
  let s = sep;
  while (s > 0 && sep - s < 31 && SCHEME_CHAR.test(text[s - 1] as string)) s--;
  return s < sep && /[A-Za-z]/.test(text[s] as string) && !/[A-Za-z0-9_]/.test(text[s - 1] ?? '');
}
