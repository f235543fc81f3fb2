import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Answer } from '../../src/commands/answer.js';
import type { Caller } from '../../src/commands/command.js';
import type { IncidentKey } from '../../src/domain/incident-key.js';
import { runCommand } from '../../src/commands/router.js';
import { botServices } from '../../src/app/bot-services.js';
import { silentLog } from '../../src/log/run-log.js';
import { LocalTransport } from '../../src/remote/local-transport.js';
import { Store } from '../../src/store/store.js';
import { renderAnswer } from '../../src/render/render-answer.js';
import { testConfig } from '../support/config.js';

// silence / unsilence / history through the router, on a real (temporary) SQLite store.
const dir = mkdtempSync(join(tmpdir(), 'mm-silence-'));
const config = testConfig({
  hosts: [
    { name: 'prod-1', transport: 'local' },
    { name: 'prod-2', transport: 'local' },
  ],
  slack: { approvers: ['U0APPROVE1'] },
});
const store = new Store(join(dir, 'store.db'));
let now = Date.parse('2026-11-25T10:00:00Z');
const services = botServices({ config, transportFor: () => new LocalTransport(), clock: () => now, log: silentLog, store });
const approver: Caller = { userId: 'U0APPROVE1', source: 'slack' };
const someone: Caller = { userId: 'U0SOMEONE1', source: 'slack' };
const run = (text: string, caller: Caller = approver): Promise<Answer> => runCommand(text, caller, services);
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('silence, unsilence, history', () => {
  it('only approvers (and the terminal) may silence; help shows it only to them', async () => {
    assert.deepEqual(await run('silence prod-1 1h', someone), { kind: 'error', visibility: 'ephemeral', message: 'you may not run silence' });
    const help = (await run('help', someone)) as Extract<Answer, { kind: 'help' }>;
    assert.ok(!help.commands.some((c) => c.usage.startsWith('silence')));
    const mine = (await run('help')) as Extract<Answer, { kind: 'help' }>;
    assert.ok(mine.commands.some((c) => c.usage === 'silence HOST DURATION [reason]'));
    assert.equal((await run('silence prod-2 5m', { userId: 'terminal', source: 'terminal' })).kind, 'note');
    await run('unsilence prod-2', { userId: 'terminal', source: 'terminal' });
  });

  it('bad durations and hosts change nothing', async () => {
    for (const [text, re] of [
      ['silence prod-1', /needs a host and a duration/],
      ['silence prod-1 forever', /"forever" is not a duration between 1m and 7d/],
      ['silence prod-1 30s', /between 1m and 7d/],
      ['silence prod-1 8d', /between 1m and 7d/],
      ['silence all 1h', /one host at a time/],
      ['silence prod-9 1h', /unknown host "prod-9"/],
      ['unsilence prod-1', /prod-1 was not silenced/],
    ] as const) {
      const a = await run(text);
      assert.ok(a.kind === 'error' && re.test(`${a.message} ${a.fix ?? ''}`), `${text}: ${JSON.stringify(a)}`);
    }
    assert.equal((await store.activeSilences(now)).length, 0);
  });

  it('a silence is said in the channel, shows in hosts and status, ends on time or on unsilence', async () => {
    const a = await run('silence prod-1 2h deploying the fix');
    assert.deepEqual(a, {
      kind: 'note',
      visibility: 'channel',
      text: '🔕 prod-1 silenced for 2 h 0 min by <@U0APPROVE1> (deploying the fix); until 2026-11-25 12:00 UTC. Incidents are still tracked.',
    });
    const hosts = await run('hosts');
    assert.match(renderAnswer(hosts, { color: false }), /prod-1 .* silenced: prod-1 until 2026-11-25 12:00 UTC by <@U0APPROVE1> \(deploying the fix\)/);
    assert.doesNotMatch(renderAnswer(hosts, { color: false }).split('\n')[2]!, /silenced/); // [0] is the header row
    now += 2 * 3_600_000 + 1;
    assert.equal((await services.incidents!.silences()).size, 0, 'expired');
    await run('silence prod-1 1h');
    assert.deepEqual(await run('unsilence prod-1'), { kind: 'note', visibility: 'channel', text: '🔔 prod-1 is no longer silenced.' });
  });

  it('history lists incidents newest first, per host or all', async () => {
    const t0 = now;
    const opened = (key: IncidentKey, subject: string, hosts: string[], at: number) => ({
      key,
      subject,
      cause: 'service-down' as const,
      hosts,
      title: 'down',
      at,
    });
    await store.commitCycle({
      now: t0,
      trackers: [],
      opened: [opened('host:prod-1|service-down', 'prod-1', ['prod-1'], t0 - 720_000)],
      posts: [],
      closed: [],
      samples: [],
      keepSamplesMs: 1,
    });
    await store.acks.set('host:prod-1|service-down', 'U0BOB0001', t0 - 600_000, true);
    await store.commitCycle({ now: t0, trackers: [], opened: [], posts: [], closed: [{ key: 'host:prod-1|service-down' }], samples: [], keepSamplesMs: 1 });
    await store.commitCycle({
      now: t0,
      trackers: [],
      opened: [opened('host:prod-2|service-down', 'prod-2', ['prod-2'], t0 - 60_000)],
      posts: [],
      closed: [],
      samples: [],
      keepSamplesMs: 1,
    });
    const all = await run('history', someone);
    assert.ok(all.kind === 'history');
    assert.deepEqual(
      all.incidents.map((i) => [i.subject, i.resolvedAt === undefined]),
      [
        ['prod-2', true],
        ['prod-1', false],
      ],
    );
    const text = renderAnswer(all, { color: false });
    // Time to resolve and, when someone acknowledged it, time to acknowledge, both from the first failure.
    assert.match(text, /prod-1 +service-down +resolved after 12 min, acknowledged after 2 min/);
    assert.match(text, /prod-2 +service-down +open/);
    const one = await run('history prod-1', someone);
    assert.ok(one.kind === 'history' && one.incidents.length === 1 && one.host === 'prod-1');
    assert.equal((await run('history prod-9')).kind, 'error');
  });

  it('hosts says which replica leads the watcher, once Slack mode has its leadership', async () => {
    assert.doesNotMatch(renderAnswer(await run('hosts'), { color: false }), /watcher:/, 'no watcher (terminal, CLI): no line');
    let view = { self: 'bot-b:7:aa', leading: false, holder: 'bot-a:9:bb' as string | undefined, token: 4 as number | undefined };
    services.ledBy(() => view);
    assert.match(renderAnswer(await run('hosts'), { color: false }), /\nwatcher: led by bot-a:9:bb \(lease token 4\); this replica \(bot-b:7:aa\) stands by$/);
    view = { ...view, leading: true, holder: 'bot-b:7:aa', token: 5 };
    assert.match(renderAnswer(await run('hosts'), { color: false }), /\nwatcher: led by this replica \(bot-b:7:aa, lease token 5\)$/);
    view = { ...view, leading: false, holder: undefined, token: undefined };
    assert.match(renderAnswer(await run('hosts'), { color: false }), /watcher: no replica leads right now/);
  });
});
