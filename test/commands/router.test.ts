import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Answer } from '../../src/commands/answer.js';
import type { Caller, Command, Plan } from '../../src/commands/command.js';
import { COMMANDS, planCommand } from '../../src/commands/router.js';
import { tokenize } from '../../src/commands/tokenize.js';
import { testConfig } from '../support/config.js';

const config = testConfig(
  {
    hosts: [
      { name: 'prod-1', transport: 'local' },
      { name: 'prod-2', transport: 'local', mysql: { user: 'monitor', passwordEnv: 'PW' } },
    ],
  },
  { PW: 'x' },
);
const caller: Caller = { userId: 'U1', source: 'slack' };
const plan = (text: string): Plan | Answer => planCommand(text, caller, config);
const error = (text: string): string => {
  const p = plan(text);
  assert.ok(p.kind === 'error', `expected an error for ${JSON.stringify(text)}`);
  return p.message + (p.fix ? ` — ${p.fix}` : '');
};

describe('tokenize: hostile text gets a clear error and nothing else', () => {
  const table: [string, RegExp][] = [
    ['status prod-1; rm -rf /', /unexpected character ";" at position 14/],
    ['status $(reboot)', /unexpected character "\$" at position 8/],
    ['status `id`', /unexpected character "`"/],
    ['status "prod-1"', /unexpected character """/],
    ['status prod-1\nreboot', /U\+000A/],
    ['status рrod-1', /U\+0440/], // Cyrillic er, looks like "p"
    ['status ｐrod-1', /U\+FF50/], // fullwidth p: never normalised into "p"
    ['status prod\u200b-1', /\\u200b \(U\+200B\)/], // zero-width space
    ['status prod-1\u202e', /U\+202E/], // right-to-left override
    ['x'.repeat(10_000), /10000 characters long/],
  ];
  for (const [text, re] of table) it(JSON.stringify(text.slice(0, 40)), () => assert.match(error(text), re));
  it('plain words pass', () => assert.deepEqual(tokenize('  logs   prod-1 20 '), { words: ['logs', 'prod-1', '20'] }));
});

describe('planCommand', () => {
  it('status defaults to all hosts, and is for the whole channel', () => {
    const p = plan('status');
    assert.ok(p.kind === 'plan');
    assert.equal(p.progress, 'checking all 2 hosts…');
  });
  it('one host, one area', () => {
    const p = plan('health prod-1');
    assert.ok(p.kind === 'plan');
    assert.equal(p.progress, 'checking prod-1…');
  });
  it('unknown host lists the valid ones', () => assert.match(error('status prod-9'), /unknown host "prod-9" — known hosts: prod-1, prod-2/));
  it('db on a host without mysql, and on all hosts, only uses hosts that have it', () => {
    assert.match(error('db prod-1'), /no host has a mysql section/);
    const p = plan('db');
    assert.ok(p.kind === 'plan');
    assert.equal(p.progress, 'checking prod-2…');
  });
  it('logs HOST LINES is validated and capped', () => {
    assert.match(error('logs prod-1 lots'), /"lots" is not a number of lines/);
    assert.match(error('logs prod-1 0'), /not a number of lines/);
    assert.ok(plan('logs prod-1 100000').kind === 'plan');
    assert.match(error('logs prod-1 5 more'), /usage: logs \[HOST \[LINES\]\]/);
  });
  it('unknown subcommand → help, ephemeral, with the reason', () => {
    const p = plan('reboot prod-1');
    assert.ok(p.kind === 'help' && p.visibility === 'ephemeral');
    assert.equal(p.intro, 'unknown command "reboot"');
    assert.ok(p.commands.some((c) => c.usage === 'status [HOST|all]'));
  });
  it('empty text and "help" → help', () => {
    for (const t of ['', '   ', 'help', 'HELP']) assert.equal((plan(t) as Answer).kind, 'help');
  });
  it('too many arguments is a usage error', () => {
    assert.match(error('status prod-1 prod-2'), /at most one host — usage: status \[HOST\|all\]/);
    assert.match(error('hosts prod-1'), /hosts takes no arguments/);
  });
  it('report takes exactly one configured host', () => {
    assert.match(error('report'), /report takes exactly one host — usage: report HOST/);
    assert.match(error('report all'), /report takes exactly one host/);
    assert.match(error('report prod-3'), /unknown host "prod-3" — known hosts: prod-1, prod-2/);
    const p = plan('report prod-2');
    assert.ok(p.kind === 'plan' && p.progress === 'collecting a support bundle from prod-2…');
  });
  it('help lists only what the caller may run, and running the rest is refused', () => {
    // A command only U-ADMIN may run, like silence for non-approvers: the registry is the real one plus it.
    const adminOnly: Command = {
      name: 'purge',
      usage: 'purge HOST',
      description: 'purge',
      allowed: (c) => c.userId === 'U-ADMIN',
      plan: () => ({ kind: 'error', visibility: 'ephemeral', message: 'ran' }),
    };
    const registry = [...COMMANDS, adminOnly];
    const usages = (who: string): string[] => {
      const h = planCommand('help', { userId: who, source: 'slack' }, config, registry);
      assert.ok(h.kind === 'help');
      return h.commands.map((c) => c.usage);
    };
    assert.ok(!usages('U1').includes('purge HOST'));
    assert.ok(usages('U-ADMIN').includes('purge HOST'));
    assert.equal(usages('U1').length + 1, usages('U-ADMIN').length);
    const refused = planCommand('purge prod-1', caller, config, registry);
    assert.ok(refused.kind === 'error' && refused.message === 'you may not run purge');
  });
});
