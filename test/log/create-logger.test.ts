import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { Secret } from '../../src/config/secret.js';
import { createLogger } from '../../src/log/create-logger.js';

describe('root logger', () => {
  it('redacts secrets wherever they sit, and Secret values print as a placeholder', () => {
    let out = '';
    const sink = new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
    const log = createLogger({ level: 'debug', destination: sink });
    log.child({ host: 'prod-1', check: 'db' }).info(
      { password: 'pw-1', mysql: { password: 'pw-2' }, ssh: { privateKey: 'KEY-3' }, req: { headers: { authorization: 'Bearer xoxb-4', 'x-slack-signature': 'v0=sig5' } }, token: 'xoxb-6', target: { password: new Secret('pw-7') } },
      'connecting',
    );
    for (const secret of ['pw-1', 'pw-2', 'KEY-3', 'xoxb-4', 'sig5', 'xoxb-6', 'pw-7']) assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    const line = JSON.parse(out) as { host: string; check: string; msg: string };
    assert.deepEqual([line.host, line.check, line.msg], ['prod-1', 'db', 'connecting']);
  });
});
