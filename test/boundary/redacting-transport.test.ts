import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactingTransport } from '../../src/boundary/redacting-transport.js';
import { Redactor } from '../../src/boundary/redactor.js';
import { OpsError } from '../../src/errors.js';
import type { HostTransport } from '../../src/remote/host-transport.js';
import { LocalTransport } from '../../src/remote/local-transport.js';

const CONFIGURED = 'Configured-Secret-42';
const redact = new Redactor().addSecrets([CONFIGURED]).redact;

describe('redactingTransport: host text is redacted where it enters', () => {
  it('command output, on the real local transport', async () => {
    const t = redactingTransport(new LocalTransport(), redact);
    const res = await t.exec(`echo 'app: DB_PASSWORD=hunter22 ok'; echo 'stray ${CONFIGURED}' >&2`, { timeoutMs: 10_000, maxBytes: 65_536 });
    assert.equal(res.stdout, 'app: DB_PASSWORD=*** ok\n');
    assert.equal(res.stderr, 'stray ***\n');
    assert.equal(t.selfPid, process.pid, 'the bot still recognises itself in ps');
    await t.close();
  });

  const fake = (fail?: unknown): HostTransport => ({
    description: 'fake',
    exec: async () => {
      if (fail) throw fail;
      return { code: 0, signal: null, stdout: '', stderr: '', truncated: false, durationMs: 1 };
    },
    httpGet: async () => ({ status: 500, body: JSON.stringify({ status: 'unhealthy', error: 'mysql+pymysql://app:S3cr@t/pw@db/x' }), durationMs: 3 }),
    withMysql: async (_t, _ms, fn) => fn({ query: async <T>() => [{ Id: 7, Info: "CREATE USER 'x' IDENTIFIED BY 'n3wPw!'", Time: 3 }] as unknown as T[] }),
    close: async () => undefined,
  });

  it('/health bodies, staying JSON', async () => {
    const res = await redactingTransport(fake(), redact).httpGet('http://127.0.0.1:5070/health', { timeoutMs: 1000, maxBytes: 1000 });
    assert.deepEqual(JSON.parse(res.body), { status: 'unhealthy', error: 'mysql+pymysql://app:***@db/x' });
  });

  it('MySQL rows (the processlist can quote a CREATE USER), numbers untouched', async () => {
    const rows = await redactingTransport(fake(), redact).withMysql(
      { host: 'h', port: 3306, user: 'u', password: undefined as never, connectTimeout: 1 } as never,
      1000,
      (db) => db.query('SHOW PROCESSLIST'),
    );
    assert.deepEqual(rows, [{ Id: 7, Info: "CREATE USER 'x' IDENTIFIED BY '***'", Time: 3 }]);
  });

  it('errors: the code and fix stay (checks decide on them), the texts and the cause are redacted', async () => {
    const cause = Object.assign(new Error(`sh: DB_PASSWORD=leak1 ${CONFIGURED}`), { code: 'ECONNRESET' });
    const err = new OpsError('EXEC_FAILED', `command failed: MYSQL_PWD=leak2 mysql -pleak3`, { fix: 'check it', cause });
    await assert.rejects(redactingTransport(fake(err), redact).exec('x', { timeoutMs: 1, maxBytes: 1 }), (e: unknown) => {
      assert.ok(e instanceof OpsError);
      assert.equal(e.code, 'EXEC_FAILED');
      assert.equal(e.fix, 'check it');
      assert.equal(e.message, 'command failed: MYSQL_PWD=*** mysql -p***');
      const c = e.cause as Error & { code?: string };
      assert.equal(c.message, 'sh: DB_PASSWORD=*** ***');
      assert.equal(c.code, 'ECONNRESET');
      assert.ok(!String(c.stack).includes('leak1') && !String(c.stack).includes(CONFIGURED));
      return true;
    });
  });
});
