import { secretKind, type SecretKind } from './secret-names.js';

/** What a masked value becomes. The key name stays: a reader still sees what is configured. */
export const MASK = '***';

/*
 * `NAME <sep> VALUE` wherever hosts write it:
 *   env / ini / systemd      DB_PASSWORD=s3cret · password = s3cret · Environment="SECRET_KEY=x y"
 *   supervisor               environment=MYSQL_PWD="s3cret",MM_THREADS="4"
 *   YAML / headers           password: s3cret · X-Api-Key: abc · Authorization: Bearer eyJ…
 *   JSON / Python repr       {"password": "s3cret"} · {'password': 's3cret'} · {\"token\": \"x\"}
 *   CLI                      --password=s3cret · --password s3cret · -Dspring.datasource.password=x
 * Only the value is replaced; quotes, separators and whatever follows stay, so JSON stays JSON
 * and a section marker on the next line stays where it was.
 */
const NAME = '[A-Za-z_][A-Za-z0-9_.-]{0,80}';
const SEP = String.raw`\\?["']?\]?[ \t]*(?:=>|==|:=|[:=])[ \t]*`;
// A name starts after something that is not part of a name or a path (`/etc/passwd:` is a path).
const CANDIDATE = new RegExp(String.raw`(?<![A-Za-z0-9_./\\])(?:--(${NAME})(?:(${SEP})|([ \t]+))|(${NAME})(${SEP}))`, 'g');

// Values, read where the separator ends (sticky). Quoted values end at their closing quote, or at
// the end of the line when it never comes (a value cut by a length limit is still masked). Each
// alternative consumes its own characters, and the end always matches: nothing backtracks.
// Inside a JSON string (a /health body quoting JSON), a quote of the inner string is \\\" .
const ESCAPED_QUOTED = /\\"((?:\\\\\\"|[^"\\\n]|\\[^"\n])*)(?:\\"|(?=["\\\n])|$)/y;
const DOUBLE_QUOTED = /"((?:[^"\\\n]|\\.)*)(?:"|(?=[\\\n])|$)/y;
// Python's repr quotes a string holding '"' in single quotes: a closed single-quoted value may hold
// one. Unclosed, it stops at a '"' (in a JSON text that is where the string ends).
const SINGLE_QUOTED = /'((?:[^'\\\n]|\\[^\n])*)'/y;
const SINGLE_QUOTED_OPEN = /'((?:[^'"\\\n]|\\[^\n])*)(?=["\n]|$)/y;
// Unquoted: up to a space, a quote, a backslash (an escape in JSON text) or a list separator
// (supervisor's `,`, a query string's `&`, a cookie's `;`).
const BARE = /[^\s"'\\,;&]+/y;
// After a quoted key the value is a JSON (or Python) literal: `"pin": 1234}` ends before the brace.
const LITERAL = /[^\s"'\\,;&}\]]+/y;
// A CLI argument is one shell word.
const CLI_WORD = /[^\s"'\\]+/y;
// A header value (`Authorization: Digest username="ops", …`), or an assignment alone on its line
// (env file, YAML, ini): the rest of the line.
const HEADER_REST = /[^\r\n"\\]*/y;
// `authorization=Bearer abc` outside a header: the scheme and the word after it.
const SCHEMES = 'Bearer|Basic|Token|Digest|Negotiate|NTLM|OAuth|Hawk|ApiKey|JWT|AWS4-HMAC-SHA256|SharedKey|SSWS|Key';
const AUTH_WORDS = new RegExp(String.raw`(?:(?:${SCHEMES})[ \t]+)?[^\s"'\\,;&]+`, 'iy');
const LINE_REST = /[^\r\n]*/y;
const IN_DOUBLE = /(?:[^"\\\n]|\\[^\n])*/y;
const IN_ESCAPED_DOUBLE = /(?:[^"\\\n]|\\[^"\n])*/y;
const IN_SINGLE = /[^'\n]*/y;

// What may stand before an assignment alone on its line: `export X=…`, `declare -x X=…`, `set X=…`
// (Windows), a YAML list item (`- X=…`).
const LINE_PREFIXES = ['export', 'declare -x', 'set', '-'];

/** Masks the values of secret-named keys in `text`; one pass, linear in its length. */
export function maskKeyedSecrets(text: string): string {
  const out: string[] = [];
  let copied = 0;
  CANDIDATE.lastIndex = 0;
  for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
    const cli = m[1] !== undefined;
    const name = (m[1] ?? m[4]) as string;
    const sep = (m[2] ?? m[3] ?? m[5]) as string;
    const at = CANDIDATE.lastIndex;
    const kind = secretKind(name);
    if (!kind) continue;
    // `--password` alone (mysql then prompts) or followed by another option: no value here.
    if (m[3] !== undefined && (at >= text.length || text[at] === '-' || text[at] === '\n')) continue;
    const value = readValue(text, at, { kind, sep, cli, nameAt: cli ? m.index + 2 : m.index });
    if (!value || value.start === value.end) continue;
    const masked = maskValue(kind, text.slice(value.start, value.end));
    // A bare value after a quoted key is a JSON number (`"pin": 1234`): quoted, the text stays JSON.
    const q = value.bare && masked === MASK ? (/^(\\?["'])/.exec(sep)?.[1] ?? '') : '';
    out.push(text.slice(copied, value.start), q, masked, q);
    copied = value.end;
    CANDIDATE.lastIndex = value.end;
  }
  if (copied === 0) return text;
  out.push(text.slice(copied));
  return out.join('');
}

interface Where {
  readonly kind: SecretKind;
  readonly sep: string;
  readonly cli: boolean;
  readonly nameAt: number;
}

/** Where the value's characters (quotes excluded) start and end. */
function readValue(text: string, at: number, w: Where): Span | undefined {
  const c = text[at];
  if (c === '\\' && text[at + 1] === '"') return sticky(ESCAPED_QUOTED, text, at, 2);
  if (c === '"') return sticky(DOUBLE_QUOTED, text, at, 1);
  if (c === "'") return sticky(SINGLE_QUOTED, text, at, 1) ?? sticky(SINGLE_QUOTED_OPEN, text, at, 1);
  if (w.kind !== 'value' && w.sep.includes(':')) return sticky(HEADER_REST, text, at, 0);
  if (w.kind === 'authorization') return sticky(AUTH_WORDS, text, at, 0);
  if (w.cli) return sticky(CLI_WORD, text, at, 0);
  // Quoted around the whole assignment (systemd: Environment="DB_PASSWORD=two words"): up to
  // that quote. Not when the quote closes right after the name: that is a quoted key ("password":).
  // A JSON or Python string that merely starts with an assignment ("error": "DB_PASSWORD=x is
  // wrong") follows a ':', ',', '[' or '(': there only the word is the value.
  const before = text[w.nameAt - 1];
  const escaped = before === '"' && text[w.nameAt - 2] === '\\';
  if ((before === '"' || before === "'") && !/^\\?["']/.test(w.sep) && !':,[('.includes(text[skipBlanks(text, w.nameAt - (escaped ? 2 : 1))] ?? '')) {
    if (before === "'") return sticky(IN_SINGLE, text, at, 0);
    return sticky(escaped ? IN_ESCAPED_DOUBLE : IN_DOUBLE, text, at, 0);
  }
  if (aloneOnLine(text, w.nameAt)) return sticky(LINE_REST, text, at, 0);
  return sticky(/^\\?["']/.test(w.sep) ? LITERAL : BARE, text, at, 0, true);
}

/** The index of the last character before `end` that is not a space or a tab (-1 if none). */
function skipBlanks(text: string, end: number): number {
  let i = end - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i;
}

/** Only indentation, or one of LINE_PREFIXES, between the line's start and `at`. */
function aloneOnLine(text: string, at: number): boolean {
  const i = skipBlanks(text, at);
  if (i < 0 || text[i] === '\n') return true;
  if (i === at - 1) return false; // a prefix is followed by a blank
  for (const p of LINE_PREFIXES) {
    if (!text.endsWith(p, i + 1)) continue;
    const j = skipBlanks(text, i + 1 - p.length);
    if (j < 0 || text[j] === '\n') return true;
  }
  return false;
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly bare?: boolean;
}

function sticky(re: RegExp, text: string, at: number, open: number, bare = false): Span | undefined {
  re.lastIndex = at;
  const m = re.exec(text);
  if (!m) return undefined;
  const inner = m[1] ?? m[0];
  return { start: at + open, end: at + open + inner.length, bare };
}

// Kept after `Authorization:` so a reader sees what kind of credential was sent.
const SCHEME = new RegExp(String.raw`^(${SCHEMES})(\s+)\S`, 'i');
// Set-Cookie attributes are not secrets; every cookie value is.
const COOKIE_ATTRIBUTES = new Set(['path', 'domain', 'expires', 'max-age', 'samesite', 'priority']);

function maskValue(kind: SecretKind, value: string): string {
  // MySQL's own words, "Access denied for user 'app'@'10.0.0.5' (using password: YES)", and
  // flags (`"metricsToken": true`): never a secret.
  if (/^(?:YES|NO|true|false|True|False|null|None)\)?$/.test(value)) return value;
  if (kind === 'authorization') {
    const s = SCHEME.exec(value);
    return s ? `${s[1]}${s[2]}${MASK}` : MASK;
  }
  if (kind === 'cookie' && value.includes('=')) {
    return value.replace(/([^\s=;,]+)=([^;]*)/g, (pair, cookie: string) => (COOKIE_ATTRIBUTES.has(cookie.toLowerCase()) ? pair : `${cookie}=${MASK}`));
  }
  return MASK;
}
