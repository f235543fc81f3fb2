import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { botServices } from '../../src/app/bot-services.js';
import { createLogger } from '../../src/log/create-logger.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import { runTerminal } from '../../src/terminal/run-terminal.js';

/** Feeds `lines` to terminal mode over the built-in config (one `local` host, as a fresh clone runs). */
async function drive(lines: string, opts: { prompt: boolean; saveDir?: string }): Promise<string> {
  const config = loadConfig({}, undefined);
  const t = new LocalTransport();
  const services = botServices({ config, transportFor: () => t, clock: Date.now, log: createLogger({ level: 'silent' }) });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const done = runTerminal(input, output, services, { color: false, ...opts });
  input.end(lines);
  await done;
  return text;
}

describe('terminal mode, driven through stdin', () => {
  it('answers each line with the router and stops on quit', async () => {
    const text = await drive('hosts\nstatus local; reboot\nstatus nope\nstatus\nhosts\nwhat\nquit\nstatus\n', { prompt: true });
    assert.match(text, /^MoneyMind ops bot — terminal mode \(1 host from built-in defaults/);
    assert.match(text, /local {12}local {18}systemd moneymind {8}not checked yet/);
    assert.match(text, /error: unexpected character ";"/);
    assert.match(text, /error: unknown host "nope" — known hosts: local/);
    assert.match(text, /checking local…\nlocal {2}(✓ HEALTHY|⚠ DEGRADED|✗ UNHEALTHY)/);
    assert.match(text, /local {12}local {18}systemd moneymind {8}(ok|warn|fail)/, 'hosts shows the last known state after a status');
    // A usage error is the error and one hint, not the whole command list.
    assert.match(text, /unknown command "what"\. Type help for the commands\.\n/);
    assert.doesNotMatch(text.slice(text.indexOf('unknown command')), /^commands:/m);
    assert.equal(text.match(/checking local…/g)?.length, 1, 'nothing runs after quit');
    assert.ok(text.includes('moneymind> '));
    // First run: which config answers, and what the built-in one checks; hosts has column headers.
    assert.match(text, /^.*Type help; quit or Ctrl-D leaves\.\nNo config: checking this machine with the runbook's defaults\. Write moneymind\.yml/);
    assert.match(text, /HOST {13}ADDRESS {16}SERVICE {18}LAST CHECK\nlocal /);
  });

  it('help says how to leave', async () => {
    const text = await drive('help\n', { prompt: false });
    assert.match(text, /\n {2}help {21}this list\n {2}quit \| exit \| Ctrl-D {5}leave terminal mode\n/);
  });

  it('report local saves the support bundle as an owner-only file and says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm-term-'));
    try {
      // The directory is made when missing (the bot's default is ./data/bundles beside the store).
      const text = await drive('report local\n', { prompt: false, saveDir: join(dir, 'bundles') });
      const [name] = readdirSync(join(dir, 'bundles'));
      assert.ok(name, text);
      assert.equal(statSync(join(dir, 'bundles')).mode & 0o777, 0o700);
      assert.match(
        text,
        /collecting a support bundle from local…\nsupport bundle for local: \d+ KB, (\d+ log lines|log not readable)\nsaved \/.*moneymind-local-.*\.txt/,
      );
      assert.equal(statSync(join(dir, 'bundles', name)).mode & 0o777, 0o600);
      const bundle = readFileSync(join(dir, 'bundles', name), 'utf8');
      assert.match(bundle, /^MoneyMind support bundle — local \(local\)/);
      assert.match(bundle, /== Kernel ==\nLinux /);
      assert.match(bundle, /== Python ==\nPython 3\./);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
