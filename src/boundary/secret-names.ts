/**
 * Is `name` (an env variable, an ini/YAML/JSON key, a CLI flag, an HTTP header) one whose value is
 * a secret? Names are split into words (`DB_PASSWORD`, `dbPassword`, `X-Api-Key`, `MYSQL_PWD`) so
 * that a word decides, not a substring: `key_buffer_size` (MySQL) and `author` are not secrets,
 * `STRIPE_KEY` and `HTTP_AUTH` are. Over-masking a harmless setting costs a reader little; a missed
 * password costs a rotation, so the lists lean wide.
 */

// A cheap first test: almost every name in a log line fails it.
const STEM = /pass|pwd|secret|token|credential|auth|key|cookie|sess|signature|dsn/i;
// Anywhere inside a word: `PGPASSWORD`, `client_secret`, `csrftoken`, `x-slack-signature`.
const INSIDE = /password|passwd|passphrase|secret|token|credential|signature/;
// A whole word: `DB_PASS`, `MYSQL_PWD`, `HTTP_AUTH`, `SENTRY_DSN`, `Set-Cookie`, `PHPSESSID`.
const WORD = /^(?:[a-z0-9]*pass|[a-z0-9]*pwd|o?auth|authn|authz|authorization|authentication|dsn|[a-z0-9]*cookies?|[a-z0-9]*sessid|[a-z0-9]*session(?:id)?)$/;
// `KEY` counts only as the last word (`SECRET_KEY`, `apiKey`, `SIGNING_KEY`), never as the first
// (`key_buffer_size`, `KEY_PREFIX`).
const LAST_KEY = /key$/;
// The value is about a secret, not the secret: a path to it, its name, a length, a lifetime.
// `passwordEnv`, `privateKeyPath`, `DB_PASSWORD_FILE`, `SESSION_COOKIE_NAME`, `token_ttl`.
const ABOUT = new Set([
  'file',
  'path',
  'dir',
  'env',
  'name',
  'type',
  'size',
  'length',
  'len',
  'id',
  'ttl',
  'timeout',
  'url',
  'uri',
  'endpoint',
  'enabled',
  'count',
  'min',
  'max',
  'expiry',
  'expires',
  'age',
  'header',
  'prefix',
  'algorithm',
]);
// The shell's working directory, in every environment dump; sudoers tags (`ops ALL=(root)
// NOPASSWD: /usr/bin/supervisorctl …`, the line the bot itself tells people to add).
const NOT_SECRETS = new Set(['pwd', 'oldpwd', 'nopasswd']);

/**
 * `value`: mask the whole value. `authorization` (`Authorization`, `Proxy-Authorization`): keep
 * the scheme (`Bearer ***`). `cookie` (`Cookie`, `Set-Cookie`): mask each cookie, keep attributes.
 */
export type SecretKind = 'value' | 'authorization' | 'cookie';

export function isSecretName(name: string): boolean {
  return secretKind(name) !== undefined;
}

// Logs repeat the same few names thousands of times; judging each once keeps a pass cheap.
const judged = new Map<string, SecretKind | null>();

export function secretKind(name: string): SecretKind | undefined {
  if (!STEM.test(name)) return undefined;
  let kind = judged.get(name);
  if (kind === undefined) {
    if (judged.size >= 4096) judged.clear();
    kind = judge(name);
    judged.set(name, kind);
  }
  return kind ?? undefined;
}

function judge(name: string): SecretKind | null {
  if (NOT_SECRETS.has(name.toLowerCase())) return null;
  const words = nameWords(name);
  const last = words[words.length - 1] ?? '';
  if (last === 'authorization') return 'authorization';
  if (last === 'cookie' || last === 'cookies') return 'cookie';
  // A session id is the session: `session_id`, `SESSION-ID`.
  if (last === 'id' && /sess(?:ion)?$/.test(words[words.length - 2] ?? '')) return 'value';
  if (ABOUT.has(last)) return null;
  return LAST_KEY.test(last) || words.some((w) => INSIDE.test(w) || WORD.test(w)) ? 'value' : null;
}

/** `dbPassword` → [db, password]; `X-Api-Key` → [x, api, key]; `AWSSecretAccessKey` → [awssecret, access, key]. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}
