import { MASK, maskKeyedSecrets } from './keyed-secrets.js';
import { maskUrlCredentials } from './url-credentials.js';

export { MASK };

/** A redaction: host text in, the same text with every secret it could find masked. */
export type Redact = (text: string) => string;

/*
 * What hosts write that must not reach a channel, a terminal, a file or a log: app logs, /health
 * bodies, unit files and supervisor programs, process command lines, error texts. Each pattern is
 * linear (bounded repetitions, no nested quantifiers), so a hostile 1 MB line costs milliseconds.
 * Masking is idempotent: redact(redact(x)) === redact(x), so layers may redact again freely.
 */

// PEM private key blocks (BEGIN … END lines), also JSON-escaped (\n), and
// cut short by a length limit: then up to the first character a PEM body cannot hold. (`*` is
// in the body so that an already masked block stays as it is.)
const PEM_BODY = String.raw`[A-Za-z0-9+/=\s\\:,.*-]`;
const PRIVATE_KEY = new RegExp(
  `(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----)(${PEM_BODY}*?)(-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|(?!${PEM_BODY}))`,
  'g',
);

/** Token shapes recognisable without a key name, and forms the keyed pass cannot see. */
const SHAPES: readonly (readonly [RegExp, string])[] = [
  // Slack bot/user/app/refresh tokens; incoming webhooks carry their secret in the path.
  [/\b(xox[abposre]|xapp)-[A-Za-z0-9-]+/g, `$1-${MASK}`],
  [/(hooks\.slack\.com\/(?:services|workflows|triggers)\/)[A-Za-z0-9/_-]+/g, `$1${MASK}`],
  // AWS access key ids (long-term AKIA, temporary ASIA, and the other IAM prefixes).
  [/\b(AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA)[A-Z0-9]{16}\b/g, `$1${MASK}`],
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{20,}/g, `$1${MASK}`],
  [/\b([rs]k_(?:live|test)_)[A-Za-z0-9]{10,}/g, `$1${MASK}`],
  [/\bAIza[0-9A-Za-z_-]{35}/g, `AIza${MASK}`],
  // JWTs and Flask's signed session cookies (itsdangerous: payload.timestamp.signature).
  [/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{10,}/g, `eyJ${MASK}`],
  // A bearer token quoted outside an Authorization header ("sent Bearer eyJ…"); needs a digit so
  // that prose ("Bearer authentication") stays.
  [/\b(Bearer\s+)(?=[\w.~+/=-]*\d)[\w.~+/=-]{8,}/gi, `$1${MASK}`],
  // mysql -pPASS (no space: with one, mysql prompts and the word is a database name).
  [/(^|[\s"'])-p(?!(?:ipe|thread|threads|edantic|rint0?|rintf|rune|erm|g)(?=[\s"']|$))([^\s"'-][^\s"']*)/g, `$1-p${MASK}`],
  // curl -u user:pass, --user user:pass
  [/((?:^|\s)(?:-u[ \t]*|--user[ =])["']?[^\s:"']+):[^\s"']+/g, `$1:${MASK}`],
  // SQL: CREATE USER … IDENTIFIED BY 'pw', SET PASSWORD … = PASSWORD('pw'), Postgres WITH PASSWORD 'pw'.
  // (A quote that never closes was cut: the rest of the line goes.)
  [/\b(IDENTIFIED[ \t]+(?:WITH[ \t]+\w+[ \t]+)?(?:BY|AS)[ \t]+(?:PASSWORD[ \t]+)?)('[^'\n]*'?|"[^"\n]*"?)/gi, `$1'${MASK}'`],
  [/\b(PASSWORD[ \t]*\([ \t]*)'[^'\n]*'?/gi, `$1'${MASK}'`],
  [/\b(PASSWORD[ \t]+)'[^'\n]*'?/gi, `$1'${MASK}'`],
  [/\b(SET[ \t]+PASSWORD\b[^=\n]{0,200}=[ \t]*)('[^'\n]*'?|"[^"\n]*"?)/gi, `$1'${MASK}'`],
];

/** Pure: masks every secret these patterns recognise. */
export const redact: Redact = (text) => {
  if (!text) return text;
  let out = text.replace(PRIVATE_KEY, (_m, begin: string, body: string, end: string) => `${begin}${MASK}${end || /\s*$/.exec(body)![0]}`);
  out = maskUrlCredentials(out);
  out = maskKeyedSecrets(out);
  for (const [re, to] of SHAPES) out = out.replace(re, to);
  return out;
};
