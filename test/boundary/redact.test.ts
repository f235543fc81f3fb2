import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MASK, redact } from '../../src/boundary/redact.js';

/*
 * Lines as hosts write them: Flask/SQLAlchemy/Waitress logs, gunicorn and supervisor configs,
 * systemd units, env dumps, ~/.aws/credentials, my.cnf, curl and mysql command lines in `ps`,
 * /health bodies (JSON, sometimes with JSON inside), Python dict reprs in tracebacks.
 * Each row: the line, what must disappear, what must stay.
 */
type Row = readonly [line: string, gone: readonly string[], kept: readonly string[]];

const SECRETS: readonly Row[] = [
  // URLs: the password runs to the last '@', whatever it holds.
  [
    '2024-01-15 10:23:45,120 ERROR: cannot connect url=mysql+pymysql://moneymind:Tr0ub4dor&3@db.internal:3306/moneymind',
    ['Tr0ub4dor&3'],
    ['mysql+pymysql://moneymind:***@db.internal:3306/moneymind', 'ERROR: cannot connect'],
  ],
  ['Environment=DATABASE_URL=mysql://app:hunter2@db.internal/moneymind', ['hunter2'], ['Environment=DATABASE_URL=mysql://app:***@db.internal/moneymind']],
  [
    'environment=MM_PORT="5070",MM_DB_URL="mysql+pymysql://moneymind:s3cr%40t@127.0.0.1:3306/moneymind"',
    ['s3cr%40t'],
    ['MM_PORT="5070"', '@127.0.0.1:3306/moneymind"'],
  ],
  ['SQLALCHEMY_DATABASE_URI=mysql+pymysql://app:p@ss@w0rd@10.0.0.7/moneymind', ['p@ss@w0rd', 'ss@w0rd'], ['app:***@10.0.0.7/moneymind']],
  ['CACHE_URL=redis://:a/b/c9Zq@cache:6379/0', ['a/b/c9Zq'], ['redis://:***@cache:6379/0']],
  ['BROKER_URL=amqp://guest:g#u:e/st@rabbit:5672//', ['g#u:e/st'], ['amqp://guest:***@rabbit:5672//']],
  ['DATABASE_URL=postgres://u:p%2Fa%23ss@host/db', ['p%2Fa%23ss'], ['postgres://u:***@host/db']],
  // env, systemd, supervisor, .env files, export
  ['Environment="SECRET_KEY=9f8e7d6c5b4a" "FLASK_ENV=production"', ['9f8e7d6c5b4a'], ['Environment="SECRET_KEY=***" "FLASK_ENV=production"']],
  ['Environment="DB_PASSWORD=two words here" "MM_THREADS=4"', ['two words here', 'words'], ['"DB_PASSWORD=***" "MM_THREADS=4"']],
  ['environment=MYSQL_PASSWORD="p4ss word",MM_THREADS="4"', ['p4ss word'], ['environment=MYSQL_PASSWORD="***",MM_THREADS="4"']],
  ['export STRIPE_KEY=sk_live_51H8abcDEFghiJKLmnoPQRstu', ['sk_live_51H8abcDEFghiJKLmnoPQRstu', '51H8abc'], ['export STRIPE_KEY=***']],
  ['SIGNING_KEY=9b1f0c7e2d4a8b6c', ['9b1f0c7e2d4a8b6c'], ['SIGNING_KEY=***']],
  ["ENCRYPTION_KEY='kX9#mP2$vL5@'", ['kX9#mP2$vL5@'], ["ENCRYPTION_KEY='***'"]],
  ['DB_PASS=Summer2024!', ['Summer2024!'], ['DB_PASS=***']],
  ['  812 python3 /opt/moneymind/app.py MYSQL_PWD=Qw3rty-Uiop --port 5070', ['Qw3rty-Uiop'], ['MYSQL_PWD=*** --port 5070']],
  ['PGPASSWORD=pgS3cret psql -h db -U app', ['pgS3cret'], ['PGPASSWORD=***']],
  ['SENTRY_DSN=https://0123456789abcdef@o1.ingest.sentry.io/42', ['0123456789abcdef'], ['SENTRY_DSN=***']],
  ['GITHUB_TOKEN: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', ['ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789', 'aBcDeFgHiJ'], ['GITHUB_TOKEN: ***']],
  // headers
  ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.sgnX1yZ2aB', ['eyJhbGciOiJIUzI1NiJ9', 'sgnX1yZ2aB'], ['Authorization: Bearer ***']],
  ['Authorization: Basic b3BzOmh1bnRlcjI=', ['b3BzOmh1bnRlcjI='], ['Authorization: Basic ***']],
  [
    'curl -H "Authorization: Token 6f1ed002ab5595859014ebf0951522d9" https://api.internal/v1',
    ['6f1ed002ab5595859014ebf0951522d9'],
    ['"Authorization: Token ***" https://api.internal/v1'],
  ],
  ["{'Authorization': 'Bearer abc.def.ghi', 'Accept': 'application/json'}", ['abc.def.ghi'], ["{'Authorization': 'Bearer ***', 'Accept': 'application/json'}"]],
  ['X-Api-Key: 4f9c2a7e1b3d', ['4f9c2a7e1b3d'], ['X-Api-Key: ***']],
  [
    'Set-Cookie: session=eyJfZnJlc2giOmZhbHNlfQ.ZbX1qg.k3y-SiGnAtUrE; HttpOnly; Path=/',
    ['eyJfZnJlc2giOmZhbHNlfQ', 'k3y-SiGnAtUrE'],
    ['Set-Cookie: session=***; HttpOnly; Path=/'],
  ],
  [
    'Cookie: csrftoken=Xy12Ab34; sessionid=8f14e45fceea167a5a36dedd4bea2543',
    ['Xy12Ab34', '8f14e45fceea167a5a36dedd4bea2543'],
    ['Cookie: csrftoken=***; sessionid=***'],
  ],
  ['10.0.0.9 - - "GET /report HTTP/1.1" 500 - session=abcDEF123456 ua="curl/8.0"', ['abcDEF123456'], ['session=*** ua="curl/8.0"']],
  ['GET /api/export?user=7&token=tK9mQ2pL7x&format=csv', ['tK9mQ2pL7x'], ['?user=7&token=***&format=csv']],
  ['jdbc:mysql://db:3306/app?user=app&password=Jdbc!Pw&useSSL=true', ['Jdbc!Pw'], ['password=***&useSSL=true']],
  // command lines (ps, the bundle's top processes, shell history in logs)
  ['mysql -uapp -pS3cr3tPass moneymind -e "SELECT 1"', ['S3cr3tPass'], ['mysql -uapp -p*** moneymind -e "SELECT 1"']],
  ["mysqldump --password 'Pa55 word' --single-transaction moneymind", ['Pa55 word'], ["--password '***' --single-transaction moneymind"]],
  ['mysqladmin --password=Adm1nPw! ping', ['Adm1nPw!'], ['mysqladmin --password=*** ping']],
  ['/opt/venv/bin/waitress-serve --listen=*:5070 --secret-key=Wa1tress! app:app', ['Wa1tress!'], ['--listen=*:5070 --secret-key=*** app:app']],
  ['java -Dspring.datasource.password=J4va!pw -jar app.jar', ['J4va!pw'], ['-Dspring.datasource.password=*** -jar app.jar']],
  ['curl -u ops:Curl!Pass https://x.internal/api', ['Curl!Pass'], ['curl -u ops:*** https://x.internal/api']],
  // Slack and AWS tokens, anywhere
  [
    'WARNING: posting with xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx failed: invalid_auth',
    ['AbCdEfGhIjKlMnOpQrStUvWx', '1234567890-0987654321'],
    ['posting with xoxb-*** failed: invalid_auth'],
  ],
  ['socket mode token xapp-1-A0123ABCD-1234567890123-abcdef0123456789 rejected', ['abcdef0123456789', 'A0123ABCD'], ['token xapp-*** rejected']],
  ['{"ok":false,"error":"not_authed","token":"xoxp-11111-22222-33333-abcdef"}', ['xoxp-11111', 'abcdef"'], ['"token":"***"']],
  [
    'posting to https://hooks.slack.com/services/T0001/B0002/XXXXXXXXXXXXXXXXXXXXXXXX failed',
    ['XXXXXXXXXXXXXXXXXXXXXXXX'],
    ['https://hooks.slack.com/services/*** failed'],
  ],
  ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', ['AKIAIOSFODNN7EXAMPLE', 'IOSFODNN7EXAMPLE'], ['aws_access_key_id = AKIA***']],
  ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'], ['aws_secret_access_key = ***']],
  ['export AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"', ['wJalrXUtnFEMI'], ['export AWS_SECRET_ACCESS_KEY="***"']],
  ['botocore.exceptions.ClientError: ExpiredToken for ASIAY34FZKBOKMUTVV7A', ['Y34FZKBOKMUTVV7A'], ['ExpiredToken for ASIA***']],
  // JSON, Python reprs, YAML, ini
  ['{"password": "hunter2", "user": "app"}', ['hunter2'], ['{"password": "***", "user": "app"}']],
  ['{"error":"config: {\\"db_password\\": \\"Zx9!kL\\"}","status":"unhealthy"}', ['Zx9!kL'], ['{\\"db_password\\": \\"***\\"}","status":"unhealthy"}']],
  ['{"level":50,"msg":"connect failed","pin":1234,"password":"Pino!Pw1"}', ['Pino!Pw1'], ['"password":"***"', '"pin":1234']],
  ["create_engine(connect_args={'user': 'app', 'password': 'pyM3!sql', 'host': 'db'})", ['pyM3!sql'], ["{'user': 'app', 'password': '***', 'host': 'db'}"]],
  ['  password: correct horse battery staple', ['correct horse battery staple', 'staple'], ['  password: ***']],
  ['    api_key: "AbC123xYz987"', ['AbC123xYz987'], ['    api_key: "***"']],
  ['[client]\npassword=Cl1ent!Pw\nuser=monitor', ['Cl1ent!Pw'], ['[client]\npassword=***\nuser=monitor']],
  ["app.config['SECRET_KEY'] = 'fl4sk-s3cret'", ['fl4sk-s3cret'], ["app.config['SECRET_KEY'] = '***'"]],
  // private keys, whole, JSON-escaped, or cut by a length limit (fake fragments; `\x20` keeps the
  // file from reading as a committed key to secret scanners — the strings are the same)
  [
    '-----BEGIN RSA PRIVATE\x20KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ww\nzI1NiJ9eyJzdWIiOiJvcHMifQ==\n-----END RSA PRIVATE\x20KEY-----\nnext line',
    ['MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ww', 'zI1NiJ9eyJzdWIiOiJvcHMifQ=='],
    ['-----BEGIN RSA PRIVATE\x20KEY-----***-----END RSA PRIVATE\x20KEY-----\nnext line'],
  ],
  [
    '-----BEGIN OPENSSH PRIVATE\x20KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW…\n' +
      '@@journal\n2024-01-15T10:23:45+0000 web1 app[1]: ok',
    ['b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ'],
    ['-----BEGIN OPENSSH PRIVATE\x20KEY-----***…\n@@journal\n2024-01-15'],
  ],
  [
    '"private_key": "-----BEGIN PRIVATE\x20KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE\x20KEY-----\\n", "client_email": "x@y.iam"',
    ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'],
    ['"client_email": "x@y.iam"'],
  ],
  // SQL in a MySQL general log or the processlist
  ["CREATE USER 'app'@'%' IDENTIFIED BY 'S3cret!';", ['S3cret!'], ["CREATE USER 'app'@'%' IDENTIFIED BY '***';"]],
  ["ALTER USER 'monitor'@'localhost' IDENTIFIED WITH mysql_native_password BY 'm0n!tor';", ['m0n!tor'], ["IDENTIFIED WITH mysql_native_password BY '***';"]],
  ["SET PASSWORD FOR 'app'@'%' = 'Rot8ted!'", ['Rot8ted!'], ["SET PASSWORD FOR 'app'@'%' = '***'"]],
  ["CREATE USER flaskapp WITH PASSWORD 'change-this-password';", ['change-this-password'], ["WITH PASSWORD '***';"]],
];

// Words that look like secrets and are not: they must come out exactly as they went in.
const HARMLESS: readonly string[] = [
  'key_buffer_size                      16777216',
  'key_buffer_size=16777216',
  'foreign_key_checks=1',
  'cat: /etc/passwd: Permission denied',
  'grep app /etc/passwd',
  '2024-01-15 10:23:45,120 WARNING: CSRF token missing',
  'The CSRF token has expired.',
  `(1045, "Access denied for user 'moneymind'@'10.0.0.5' (using password: YES)")`,
  `(1045, "Access denied for user 'monitor'@'localhost' (using password: NO)")`,
  'passwordEnv: MONEYMIND_PROD1_MYSQL_PASSWORD',
  'privateKeyPath: /run/secrets/moneymind_ssh_key',
  'DB_PASSWORD_FILE=/run/secrets/db_password',
  'SESSION_COOKIE_NAME=session',
  'PWD=/opt/moneymind',
  'GET http://127.0.0.1:5070/health → 500 in 12 ms',
  '(Background on this error at: https://sqlalche.me/e/20/e3q8)',
  'wait_timeout                         600',
  'GET http://user@host/ (no password part)',
  '2024-01-15 10:23:45,120 WARNING: Task queue depth is 12',
  "KeyError: 'SECRET_KEY'",
  'ssh -p 2222 ops@10.0.0.5',
  'gcc -pipe -O2 -c module.c',
  'mysql -u monitor -p moneymind',
  'author=Jane Doe',
  'WWW-Authenticate: Basic realm="moneymind"',
  'Bearer token required',
  'max_connections=151',
  '{"level":30,"msg":"moneymind bot started","metricsToken":true}',
  'sudo: a password is required',
  'mmtest ALL=(root) NOPASSWD: /usr/bin/supervisorctl -c /etc/supervisor/other.conf status moneymind',
  "check the password in the env var named by mysql.passwordEnv and the grants: GRANT PROCESS ON *.* TO 'monitor'@'localhost'",
  'if the host was really re-installed, check the new key on the host with ssh-keygen -lf and update ssh.hostKey',
  '2024-01-15 10:23:45,120 ERROR: (pymysql.err.OperationalError) (2006, "MySQL server has gone away (BrokenPipeError(32, \'Broken pipe\'))")',
  '@@log-failed',
];

describe('redact: what must disappear, what must stay', () => {
  it(`has at least 40 secret-bearing lines (${SECRETS.length}) and ${HARMLESS.length} harmless ones`, () => {
    assert.ok(SECRETS.length >= 40);
  });
  for (const [line, gone, kept] of SECRETS) {
    it(line.replace(/\n/g, '⏎').slice(0, 90), () => {
      const out = redact(line);
      for (const g of gone) assert.ok(!out.includes(g), `"${g}" survived in: ${out}`);
      for (const k of kept) assert.ok(out.includes(k), `"${k}" is missing from: ${out}`);
      assert.ok(out.includes(MASK), out);
      assert.equal(redact(out), out, 'masking twice changes nothing');
    });
  }
  for (const line of HARMLESS) it(`keeps: ${line.slice(0, 80)}`, () => assert.equal(redact(line), line));

  it('keeps a JSON text JSON: values are masked inside their quotes', () => {
    const body = JSON.stringify({
      status: 'unhealthy',
      error: 'DB_PASSWORD=x1y2z3 and {"token": "abc"} via mysql://a:b@c',
      pin: 1234,
      nested: { api_key: 42, Authorization: 'Bearer abc123def456', secret: 7 },
      token: null,
    });
    const out = redact(body);
    const parsed = JSON.parse(out) as { error: string; nested: { api_key: unknown; Authorization: string; secret: unknown }; token: unknown };
    assert.equal(parsed.error, 'DB_PASSWORD=*** and {"token": "***"} via mysql://a:***@c');
    assert.equal(parsed.nested.api_key, '***');
    assert.equal(parsed.nested.Authorization, 'Bearer ***');
    assert.equal(parsed.nested.secret, '***');
    assert.equal(parsed.token, null);
  });
});

describe('redact: linear time', () => {
  // Shapes that make a backtracking pattern quadratic or worse. Linear means 16× the text costs
  // about 16× the time; quadratic, 256×. Measured as a ratio within the same moment (the fastest of
  // five interleaved runs of each size), so a busy machine slows both sides alike; the bound (64×)
  // sits far from both, as garbage collection and caches bend a linear ratio by a few times.
  const KB = 1 << 10;
  const fill = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const hostile: [string, (size: number) => string][] = [
    ['one long word', (n) => fill('a', n)],
    ['URL starts without an @', (n) => fill('a://b:', n)],
    ['schemes in a row', (n) => fill('a.b+c-', n)],
    ['unterminated quoted secrets', (n) => fill('password="', n)],
    ['key=value pairs', (n) => fill('x=1 ', n)],
    ['secret keys without values', (n) => fill('token: ', n)],
    ['escaped quotes', (n) => fill('\\"', n)],
    ['private key headers', (n) => fill('-----BEGIN RSA PRIVATE\x20KEY-----\n', n)],
    ['a bearer token with no digit', (n) => `Bearer ${fill('a', n)}`],
    ['mysql -p flags', (n) => fill(' -pa', n)],
    ['SQL without a quote', (n) => fill('IDENTIFIED BY ', n)],
    ['long names', (n) => fill(`${'n'.repeat(79)}_`, n)],
    ['secret keys mid-line', (n) => fill('a token: ', n)],
    ['JSON inside JSON', (n) => fill('\\"token\\":\\"\\\\\\"', n)],
    ['single quotes that never close', (n) => fill(`'password': '"`, n)],
    ['URLs with an @ far away', (n) => `${fill('mysql://u:', n)}@`],
  ];
  const time = (text: string): number => {
    const started = performance.now();
    redact(text);
    return performance.now() - started;
  };
  for (const [what, make] of hostile) {
    it(`${what}: 16× the text (64 KB → 1 MB) costs well under 256× the time`, () => {
      const small = make(64 * KB);
      const large = make(1024 * KB);
      let tSmall = Number.POSITIVE_INFINITY;
      let tLarge = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        tSmall = Math.min(tSmall, time(small));
        tLarge = Math.min(tLarge, time(large));
      }
      // Both must go wrong for a failure: a quadratic pattern on 1 MB takes minutes (and 256× its
      // 64 KB time), while a linear one, slowed however much by a busy machine, stays far under 2 s
      // or keeps its ratio; garbage collection alone can bend the ratio of a fast run.
      assert.ok(tLarge < 2000 || tLarge / tSmall < 64, `${what}: ${tSmall.toFixed(1)} ms → ${tLarge.toFixed(1)} ms (${(tLarge / tSmall).toFixed(1)}×)`);
    });
  }
});
