import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Redactor } from '../../src/boundary/redactor.js';
import { Secret } from '../../src/config/secret.js';
import { createLogger } from '../../src/log/create-logger.js';

describe('root logger', () => {
  it('redacts secrets wherever they sit, and Secret values print as a placeholder', () => {
    let out = '';
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        out += String(chunk);
        done();
      },
    });
    const log = createLogger({ level: 'debug', destination: sink });
    log.child({ host: 'prod-1', check: 'db' }).info(
      {
        password: 'pw-1',
        mysql: { password: 'pw-2' },
        ssh: { privateKey: 'KEY-3' },
        req: { headers: { authorization: 'Bearer xoxb-4', 'x-slack-signature': 'v0=sig5' } },
        token: 'xoxb-6',
        target: { password: new Secret('pw-7') },
      },
      'connecting',
    );
    for (const secret of ['pw-1', 'pw-2', 'KEY-3', 'xoxb-4', 'sig5', 'xoxb-6', 'pw-7']) assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    const line = JSON.parse(out) as { host: string; check: string; msg: string };
    assert.deepEqual([line.host, line.check, line.msg], ['prod-1', 'db', 'connecting']);
  });

  it('redacts host text in messages, errors and stacks too, with the configured secrets verbatim, and stays JSON', () => {
    let out = '';
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        out += String(chunk);
        done();
      },
    });
    const log = createLogger({ level: 'debug', destination: sink, redact: new Redactor().addSecrets(['xapp-configured-777', 'Monitor-Pw-99']).redact });
    const err = new Error('ssh: command failed: MYSQL_PWD=leak-1 mysql -pleak-2 (using Monitor-Pw-99)');
    log.warn({ err, host: 'prod-1' }, 'GET /health → 500: mysql+pymysql://app:leak-3@db/x');
    log.info({ line: 'Authorization: Bearer leak-4-abcdef12', metricsToken: true }, 'app token xapp-configured-777 seen');
    for (const secret of ['leak-1', 'leak-2', 'leak-3', 'leak-4', 'Monitor-Pw-99', 'xapp-configured-777'])
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    const [warn, info] = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; err?: { message: string }; line?: string; metricsToken?: unknown });
    assert.equal(warn!.msg, 'GET /health → 500: mysql+pymysql://app:***@db/x');
    assert.equal(warn!.err!.message, 'ssh: command failed: MYSQL_PWD=*** mysql -p*** (using ***)');
    assert.equal(info!.line, 'Authorization: Bearer ***');
    assert.equal(info!.metricsToken, true);
  });
});
