import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDf } from '../../src/checks/parse-df.js';
import { parseLoadavg, parseMeminfo } from '../../src/checks/parse-meminfo.js';
import { appProcesses, parsePs } from '../../src/checks/parse-ps.js';
import { evaluateResources, resourcesProbeCommand } from '../../src/checks/resources-check.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';

const captured = () =>
  [
    '@@loadavg',
    fixture('loadavg.txt'),
    '@@nproc',
    fixture('nproc.txt'),
    '@@meminfo',
    fixture('meminfo.txt'),
    '@@df',
    fixture('df-P.txt'),
    '@@ps',
    fixture('ps.txt'),
  ].join('\n');

describe('resource parsers on real output', () => {
  it('/proc/meminfo → total, available, swap', () => {
    const m = parseMeminfo(fixture('meminfo.txt'));
    assert.deepEqual(m, { totalKb: 24684084, availableKb: 24325280, swapTotalKb: 0, swapFreeKb: 0 });
  });
  it('meminfo without MemAvailable (old kernels) falls back to free + buffers + cached', () => {
    const old = fixture('meminfo.txt')
      .split('\n')
      .filter((l) => !l.startsWith('MemAvailable'))
      .join('\n');
    assert.equal(parseMeminfo(old)?.availableKb, 24012100 + 12876 + 475376);
  });
  it('/proc/loadavg → three numbers', () => {
    const l = parseLoadavg(fixture('loadavg.txt'));
    assert.equal(l?.length, 3);
    assert.ok(l!.every((x) => x >= 0));
    assert.equal(parseLoadavg('garbage'), null);
  });
  it('df -P → one row per mount (duplicates dropped), missing dir ignored', () => {
    assert.deepEqual(parseDf(fixture('df-P.txt')), [{ filesystem: '/dev/vda', mount: '/', usedPercent: 22, availableKb: 83275344 }]);
    assert.deepEqual(parseDf(fixture('df-P-missing.txt')), []);
  });
  it('ps → processes; the app is found by a plain substring', () => {
    const all = parsePs(fixture('ps.txt'));
    assert.ok(all.length > 10);
    const app = appProcesses(all, 'app.py', '@@moneymind-probe');
    assert.equal(app.length, 1);
    assert.equal(app[0]?.command, '/usr/bin/python3 app.py');
    assert.equal(app[0]?.threads, 5, 'Waitress threads=4 plus the main thread');
  });
});

describe('evaluateResources', () => {
  it('healthy machine: ok, with the summary the runbook example shows', () => {
    const out = evaluateResources(captured(), 'app.py', '/opt/moneymind/logs/moneymind.log', thresholds());
    assert.equal(out.status, 'ok');
    assert.match(out.summary, /^load [\d.]+\/2 cores · mem 99 % available · disk \/ 22 % · app 46 MB RSS, 5 threads/);
    assert.equal(out.details.topByMemory.length, 5);
    assert.equal(out.details.appRssKb, 47204);
  });
  const table: [string, Parameters<typeof thresholds>[0], 'warn' | 'fail', RegExp][] = [
    ['disk over threshold', { diskUsedPercent: 20 }, 'fail', /disk \/ 22 % used/],
    ['memory under threshold', { memAvailablePercent: 99.5 }, 'fail', /memory available/],
    ['load per core over threshold', { loadPerCore: 0.0001 }, 'warn', /per core/],
  ];
  for (const [name, over, status, evidence] of table) {
    it(`${name} → ${status}`, () => {
      const out = evaluateResources(
        captured().replace(/^@@loadavg\n.*$/m, '@@loadavg\n1.50 0.80 0.50 2/300 999'),
        'app.py',
        '/var/log/m.log',
        thresholds(over),
      );
      assert.equal(out.status, status);
      assert.ok(
        out.evidence.some((e) => evidence.test(e)),
        out.evidence.join('; '),
      );
    });
  }
  it('our own probes and their children never count as the app, even when their text matches', () => {
    const probes = [
      ' 9999     1 5000 0.0 1 0 timeout -k 2 10 sh -c : @@moneymind-probe; tail -n 5000 -- /opt/moneymind/logs/x.log',
      '10000  9999 5000 0.0 1 0 sh -c : @@moneymind-probe; tail -n 5000 -- /opt/moneymind/logs/x.log',
      '10001 10000 1000 0.0 1 0 tail -n 5000 -- /opt/moneymind/logs/x.log',
      '10002     1 90000 1.0 5 500 /usr/bin/python3 /opt/moneymind/app.py',
    ].join('\n');
    const out = evaluateResources(captured().replace('@@ps\n', `@@ps\n${probes}\n`), 'moneymind', '/opt/moneymind/logs/x.log', thresholds());
    assert.deepEqual(
      out.details.appProcesses.map((p) => p.pid),
      [10002],
    );
  });
  it('on a local host the bot, its parents (npx, npm) and its children are never the app (real ps while npx moneymind ran)', () => {
    const all = parsePs(fixture('ps-bot-local.txt'));
    // Without its pid the default processMatch "moneymind" takes the bot's own tree for the app.
    assert.deepEqual(
      appProcesses(all, 'moneymind', '@@moneymind-probe')
        .map((p) => p.pid)
        .sort(),
      [8694, 8726, 8727],
    );
    assert.deepEqual(appProcesses(all, 'moneymind', '@@moneymind-probe', 8727), []);
  });
  it("the bot's ancestors' other children stay in: the app under the same supervisord is still the app", () => {
    const all = parsePs(
      [
        '  100     1 20000 0.0 1 900 /usr/bin/python3 /usr/bin/supervisord -c /etc/moneymind/supervisord.conf',
        '  200   100 90000 1.0 5 800 /usr/bin/python3 /opt/moneymind/app.py',
        '  300   100 60000 0.5 11 700 node /opt/moneymind-bot/dist/main.js --moneymind',
        '  400   300  1000 0.0 1 0 sh -c ps -eo pid=,args= # moneymind',
      ].join('\n'),
    );
    assert.deepEqual(
      appProcesses(all, 'moneymind', '@@moneymind-probe', 300).map((p) => p.pid),
      [200],
    );
  });
  it('the command quotes the log directory', () => {
    assert.match(resourcesProbeCommand("/opt/it's/app.log"), /df -P \/ '\/opt\/it'\\''s' /);
  });
});
