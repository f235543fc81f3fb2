/*
 * Random secret-bearing lines in the forms hosts write them, from a seeded PRNG so that a failure
 * reproduces (the test prints its seed; SECRET_SEED=n runs that one). Each planted secret records
 * its value; every value starts with ten random alphanumerics (`core`), so it cannot occur in an
 * output by chance. A leak is any 8 consecutive characters of a value, in any form (raw,
 * JSON-escaped, Slack-escaped): the first half of a password that a cut left behind is a leak too.
 */

export interface Planted {
  readonly value: string;
  readonly core: string;
  readonly form: string;
}

/** mulberry32: tiny, fast, good enough to pick forms and characters. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// Characters a value may hold in each form. Unquoted values end at a space, a quote, a backslash
// or `,;&` (README: quote such values), so those stay out of the unquoted alphabets.
const BARE = `${ALNUM}!@#$%^-_+=./:~?()[]{}|`;
const URL_PASSWORD = `${ALNUM}@/:#?!$%^+=,;&~[]`;
const ANY = `${ALNUM} !@#$%^&()-_+=./:~?[]{}|,;<>"\\'`;
const NO_SINGLE_QUOTE = ANY.replace(/['\\]/g, '');
const TOKEN = `${ALNUM}._~+/-`;
const BASE64 = `${ALNUM}+/`;

/** A secret: ten alphanumerics (the core), then more from `alphabet`. */
function secret(rnd: () => number, alphabet: string, extra = 4 + Math.floor(rnd() * 10)): { value: string; core: string } {
  const core = pick(rnd, ALNUM, 10);
  return { value: core + pick(rnd, alphabet, extra), core };
}

export function pick(rnd: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

const oneOf = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const NAMES = [
  'DB_PASSWORD',
  'MYSQL_PASSWORD',
  'MYSQL_PWD',
  'DB_PASS',
  'SECRET_KEY',
  'STRIPE_KEY',
  'SIGNING_KEY',
  'ENCRYPTION_KEY',
  'API_KEY',
  'apiKey',
  'AUTH_TOKEN',
  'access_token',
  'client_secret',
  'aws_secret_access_key',
  'SLACK_SIGNING_SECRET',
  'db-password',
  'X-Api-Key',
  'SENTRY_DSN',
  'PGPASSWORD',
  'REDIS_PASSWORD',
  'passphrase',
  'private_key',
  'csrftoken',
  'sessionid',
  'SESSION',
  'credentials',
  'HTTP_AUTH',
];
const JSON_NAMES = [
  'password',
  'db_password',
  'secret',
  'token',
  'api_key',
  'apiKey',
  'SecretAccessKey',
  'client_secret',
  'private_key',
  'Authorization',
  'credentials',
];

/** A single-line form: text before and after varies so each pattern sees many surroundings. */
type Form = (rnd: () => number) => { line: string; planted: Planted[] };

const FORMS: Record<string, Form> = {
  env: (r) => {
    const name = oneOf(r, NAMES);
    const s = secret(r, BARE);
    const before = oneOf(r, ['', 'export ', 'env ', 'Environment=', 'starting with ', 'config: ', '  ', 'ERROR: bad ']);
    return { line: `${before}${name}=${s.value}${oneOf(r, ['', ' MM_THREADS=4', ' (from /etc/moneymind.env)'])}`, planted: [{ ...s, form: 'env' }] };
  },
  quotedEnv: (r) => {
    const s = secret(r, ANY.replace(/["\\\n]/g, ''));
    return { line: `Environment="${oneOf(r, NAMES)}=${s.value}" "FLASK_ENV=production"`, planted: [{ ...s, form: 'quotedEnv' }] };
  },
  supervisor: (r) => {
    const s = secret(r, ANY.replace(/["\\\n]/g, ''));
    return { line: `environment=MM_PORT="5070",${oneOf(r, NAMES)}="${s.value}",MM_THREADS="4"`, planted: [{ ...s, form: 'supervisor' }] };
  },
  json: (r) => {
    const s = secret(r, ANY);
    return { line: `payload ${JSON.stringify({ user: 'app', [oneOf(r, JSON_NAMES)]: s.value, host: 'db' })}`, planted: [{ ...s, form: 'json' }] };
  },
  pythonRepr: (r) => {
    const s = secret(r, NO_SINGLE_QUOTE);
    return { line: `connect_args={'user': 'app', '${oneOf(r, JSON_NAMES)}': '${s.value}', 'port': 3306}`, planted: [{ ...s, form: 'pythonRepr' }] };
  },
  yaml: (r) => {
    const s = secret(r, BARE);
    return { line: `${oneOf(r, ['password', 'api_key', 'secret', 'token', 'db_pass'])}: ${s.value}`, planted: [{ ...s, form: 'yaml' }] };
  },
  url: (r) => {
    const s = secret(r, URL_PASSWORD);
    const scheme = oneOf(r, ['mysql+pymysql', 'mysql', 'postgresql', 'redis', 'amqp', 'https']);
    return {
      line:
        `${oneOf(r, ['url=', 'DATABASE_URL=', 'connecting to ', '(', '"'])}${scheme}://` +
        `${oneOf(r, ['app', 'moneymind', ''])}:${s.value}@db.internal:3306/moneymind${oneOf(r, ['', ')', '"', ' failed', '?charset=utf8mb4'])}`,
      planted: [{ ...s, form: 'url' }],
    };
  },
  mysqlP: (r) => {
    const s = secret(r, BARE.replace(/-/g, ''));
    return { line: `mysql -uapp -p${s.value} -h db moneymind`, planted: [{ ...s, form: 'mysqlP' }] };
  },
  longFlag: (r) => {
    const s = secret(r, BARE);
    const flag = oneOf(r, ['--password', '--db-password', '--secret-key', '--api-token']);
    return { line: `/opt/venv/bin/python app.py ${flag}${oneOf(r, ['=', ' '])}${s.value} --port 5070`, planted: [{ ...s, form: 'longFlag' }] };
  },
  authorization: (r) => {
    const s = secret(r, TOKEN);
    return {
      line: `${oneOf(r, ['Authorization', 'authorization', 'Proxy-Authorization'])}: ${oneOf(r, ['Bearer', 'Basic', 'Token'])} ${s.value}`,
      planted: [{ ...s, form: 'authorization' }],
    };
  },
  cookie: (r) => {
    const s = secret(r, `${ALNUM}._-%+/=`);
    return {
      line: oneOf(r, [`Set-Cookie: session=${s.value}; Path=/; HttpOnly`, `Cookie: theme=dark; sessionid=${s.value}`, `GET /report session=${s.value} 500`]),
      planted: [{ ...s, form: 'cookie' }],
    };
  },
  slackToken: (r) => {
    const core = pick(r, ALNUM, 10);
    const prefix = oneOf(r, ['xoxb', 'xoxp', 'xoxa', 'xoxr', 'xapp']);
    const value = `${prefix}-${core}-${pick(r, '0123456789', 12)}-${pick(r, ALNUM, 24)}`;
    return {
      line: `${oneOf(r, ['posting with ', 'token=', 'slack said invalid_auth for ', ''])}${value}${oneOf(r, ['', ' failed', '"'])}`,
      planted: [{ value, core, form: 'slackToken' }],
    };
  },
  aws: (r) => {
    const id = `${oneOf(r, ['AKIA', 'ASIA'])}${pick(r, UPPER, 16)}`;
    const key = pick(r, `${ALNUM}/+`, 40);
    return {
      line: `aws_access_key_id=${id} aws_secret_access_key=${key}`,
      planted: [
        { value: id, core: id.slice(4, 14), form: 'awsId' },
        { value: key, core: key.replace(/[/+]/g, '').slice(0, 10), form: 'awsSecret' },
      ],
    };
  },
  sql: (r) => {
    const s = secret(r, NO_SINGLE_QUOTE);
    return {
      line: oneOf(r, [
        `CREATE USER 'app'@'%' IDENTIFIED BY '${s.value}'`,
        `ALTER USER 'monitor'@'localhost' IDENTIFIED WITH mysql_native_password BY '${s.value}'`,
        `CREATE ROLE app WITH PASSWORD '${s.value}'`,
      ]),
      planted: [{ ...s, form: 'sql' }],
    };
  },
};

export const FORM_NAMES = Object.keys(FORMS);

/** One random secret-bearing line (no newline). */
export function secretLine(rnd: () => number): { line: string; planted: Planted[] } {
  return (FORMS[oneOf(rnd, FORM_NAMES)] as Form)(rnd);
}

/** A PEM private key block, whole or cut by a length limit (then it ends with '…'). */
export function privateKeyBlock(rnd: () => number): { text: string; planted: Planted[] } {
  const kind = oneOf(rnd, ['RSA ', 'OPENSSH ', 'EC ', '']);
  const lines = Array.from({ length: 3 + Math.floor(rnd() * 4) }, () => pick(rnd, BASE64, 64));
  const cut = rnd() < 0.3;
  const text = cut
    ? `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n').slice(0, 100)}…`
    : `-----BEGIN ${kind}PRIVATE KEY-----\n${lines.join('\n')}\n-----END ${kind}PRIVATE KEY-----`;
  return {
    text,
    planted: lines.slice(0, cut ? 1 : lines.length).map((l) => ({ value: l.slice(0, 40), core: l.replace(/[+/]/g, '').slice(0, 10), form: 'privateKey' })),
  };
}

/** A configured secret, as an operator would set one: long, with any printable character. */
export function configuredSecret(rnd: () => number): string {
  return pick(rnd, ALNUM, 10) + pick(rnd, `${ALNUM}!@#$%^&()-_+=./:~?[]{}|,;<>"\\`, 8);
}

/** The forms a planted value can take in an output. */
export function leakForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const slack = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return [...new Set([value, json, slack(value), slack(json), JSON.stringify(json).slice(1, -1)])];
}

/**
 * What of `planted` survives in `text`, if anything: a message for the assertion. Any 8
 * consecutive characters of a value count (in any of its forms), so the head a cut left behind
 * and the tail a mask stopped short of are both leaks.
 */
export function survivor(text: string, planted: readonly Planted[]): string | undefined {
  for (const p of planted) {
    for (let i = 0; i + 8 <= p.value.length; i++) {
      const piece = p.value.slice(i, i + 8);
      for (const f of leakForms(piece)) {
        const at = text.indexOf(f);
        if (at >= 0) return `${p.form} value ${JSON.stringify(p.value)}: ${JSON.stringify(piece)} of it in …${text.slice(Math.max(0, at - 80), at + 40)}…`;
      }
    }
  }
  return undefined;
}
