import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { botServices } from '../../src/app/bot-services.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/log/create-logger.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import { Store } from '../../src/store/store.js';
import { runTerminal } from '../../src/terminal/run-terminal.js';
import { decodePng, distinctColours } from '../support/png.js';
import { rssLeak } from '../support/rss-leak.js';

/* `trend local` in terminal mode over the built-in config, with samples in a real SQLite store. */
let dir: string;
let store: Store;
const now = Date.now();

async function drive(lines: string, saveDir: string): Promise<string> {
  const config = loadConfig({}, undefined);
  const t = new LocalTransport();
  const services = botServices({ config, transportFor: () => t, clock: () => now, log: createLogger({ level: 'silent' }), store });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (d: Buffer) => (text += d.toString()));
  const done = runTerminal(input, output, services, { color: false, prompt: false, saveDir });
  input.end(lines);
  await done;
  return text;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'mm-trend-'));
  store = new Store(join(dir, 'store.db'));
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('trend in terminal mode', () => {
  it('no samples yet: says so, saves nothing', async () => {
    const text = await drive('trend local\n', join(dir, 'empty'));
    assert.match(text, /no memory samples stored for local in the last 6 h: the watcher stores one per cycle/);
    assert.throws(() => readdirSync(join(dir, 'empty')));
  });

  it("with the watcher's samples: the PNG is saved owner-only beside the bundles, the numbers and the path printed", async () => {
    await store.commitCycle({ now, trackers: [], opened: [], posts: [], closed: [], samples: rssLeak('local', now), keepSamplesMs: 24 * 3_600_000 });
    const text = await drive('trend local\ntrend local 2d\ntrend local soon\n', join(dir, 'bundles'));
    assert.match(
      text,
      /drawing local's trend over the last 6 h…\nlocal: app RSS 21\d → 3[34]\d MB over 5\.9 h, \+2[01] MB\/h, MemAvailable \d+ → \d+ MB; .* \(72 samples\)\nsaved (\S+\.png)/,
    );
    const path = /saved (\S+\.png)/.exec(text)![1]!;
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const img = decodePng(readFileSync(path));
    assert.deepEqual([img.width, img.height], [900, 840]);
    assert.ok(distinctColours(img) > 20);
    assert.match(text, /over the last 48 h…\nlocal: app RSS/);
    assert.match(text, /error: the window is a duration from 1m to 7d, like 6h or 90m, not "soon"/);
  });
});
