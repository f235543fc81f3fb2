import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { botServices } from '../../src/app/bot-services.js';
import { planCommand } from '../../src/commands/router.js';
import { createLogger } from '../../src/log/create-logger.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import { runTerminal } from '../../src/terminal/run-terminal.js';
import { testConfig } from '../support/config.js';

/*
 * `doctor` through the router, in terminal mode, on the built-in `local` host: the real probe runs on
 * this machine (whatever it finds), and the answer is the checklist, each miss with its fix.
 */
const config = testConfig({ hosts: [{ name: 'local', transport: 'local', app: { logFile: '/nonexistent/moneymind.log' } }] });

describe('doctor in terminal mode', () => {
  it('the router plans it for a known host, refuses an unknown one, and help lists it', () => {
    const caller = { userId: 'U1', source: 'terminal' } as const;
    assert.equal(planCommand('doctor local', caller, config).kind, 'plan');
    const unknown = planCommand('doctor nope', caller, config);
    assert.equal(unknown.kind, 'error');
    const help = planCommand('help', caller, config);
    assert.ok(help.kind === 'help' && help.commands.some((c) => c.usage === 'doctor [HOST|all]'));
  });

  it('doctor local: a checklist with ✓/✗/? per item and the fix under each miss', async () => {
    const t = new LocalTransport();
    const services = botServices({ config, transportFor: () => t, clock: Date.now, log: createLogger({ level: 'silent' }) });
    const input = new PassThrough();
    const output = new PassThrough();
    let text = '';
    output.on('data', (d: Buffer) => (text += d.toString()));
    const done = runTerminal(input, output, services, { color: false, prompt: false });
    input.end('doctor local\n');
    await done;
    assert.match(text, /^local \(this machine\): \d+ of \d+ to fix$/m);
    assert.match(text, /^ {2}✓ local: runs on this machine, no SSH$/m);
    assert.match(text, /^ {2}✗ log file \/nonexistent\/moneymind.log does not exist\n {6}fix: set app.logFile/m);
    assert.match(text, /^ {2}[✓✗?] (restart allowed by sudoers|restart not allowed for \S+ by sudoers): sudo -n systemctl restart moneymind$/m);
    assert.match(text, /^ {2}[✓✗?] .*\/health/m);
  });
});
