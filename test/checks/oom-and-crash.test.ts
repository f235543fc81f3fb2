import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateLogs } from '../../src/checks/logs-check.js';
import { supervisordCrashEvents, systemdCrashEvents } from '../../src/checks/parse-crash-events.js';
import { parseJournalJson } from '../../src/checks/parse-journal-json.js';
import { parseOomKills } from '../../src/checks/parse-kernel-oom.js';
import { diagnose } from '../../src/diagnosis/diagnose.js';
import { fixture } from '../fixture.js';
import { thresholds } from '../thresholds.js';

/*
 * OOM kills and crash loops, read from real captures: the kernel's OOM report and systemd 252's
 * journal (test/fixtures/kernel/, test/fixtures/systemd/README-oom-crash.md), and excerpts users
 * published (test/fixtures/published/) for the wordings this machine cannot produce.
 */
const T = thresholds();
const lines = (text: string) => text.split('\n').map((t) => ({ atMs: null, text: t }));
const latest = (...json: string[]) => Math.max(...json.flatMap((j) => parseJournalJson(j).entries.map((e) => e.atMs ?? 0)));
const clockAfter = (ms: number) => `${new Date(ms + 60_000).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
const systemdApp = { logFile: '/var/log/moneymind.log', service: 'moneymind', manager: 'systemd' as const };

/** The logs probe's output for a systemd host whose log file is empty: the journal and kernel sections. */
function systemdOutput(journal: string, kernel: string): string {
  return `@@now\n${clockAfter(latest(journal, kernel))}\n@@log-mtime\n\n@@log\n\n@@journal\n${journal}\n@@kernel\n${kernel}\n`;
}

describe('kernel OOM lines → one kill per victim', () => {
  const captured: [file: string, victims: string[], memcg: boolean][] = [
    ['kernel/oom-memcg-dmesg.txt', ['python3 16651'], true],
    ['kernel/oom-memcg-dmesg-iso.txt', ['python3 16651'], true],
    ['kernel/oom-memcg-2kills-dmesg.txt', ['python3 16651', 'python3 17167'], true],
    ['kernel/oom-memcg-perl-dmesg.txt', ['perl 17634'], true],
    ['kernel/oom-memcg-journal-k.short-iso.txt', ['python3 16651'], true],
  ];
  for (const [file, victims, memcg] of captured) {
    it(`captured ${file}: ${victims.join(', ')}`, () => {
      const kills = parseOomKills(lines(fixture(file)));
      assert.deepEqual(
        kills.map((k) => `${k.name} ${k.pid}`),
        victims,
      );
      assert.ok(kills.every((k) => k.memcg === memcg && k.cgroup === '/mmtest'));
      assert.match(kills[0]!.line, /^Memory cgroup out of memory: Killed process \d+ \(\w+\)/);
    });
  }

  // Published by users; every kernel wording, old and new (README in published/).
  const published: [file: string, victims: string[], memcg: boolean][] = [
    ['published/kernel-oom-old-1.txt', ['python 25456'], false],
    ['published/kernel-oom-old-2.txt', ['python2 21518'], false],
    ['published/kernel-oom-old-3.txt', ['gunicorn 31098'], false],
    ['published/kernel-oom-old-4.txt', ['mysqld 16556'], false],
    ['published/kernel-oom-old-5.txt', ['mysqld 11726'], false],
    ['published/kernel-oom-new-1.txt', ['mo-service 3466589'], false],
    ['published/kernel-oom-new-2.txt', ['python 7899'], false],
    ['published/kernel-oom-new-3.txt', ['uvicorn 1483', 'uvicorn 3455', 'uvicorn 2485'], false],
    ['published/kernel-oom-new-4.txt', ['gunicorn 1026306'], false],
    ['published/kernel-oom-new-5.txt', ['python3 15784', '(resolved) 15925', 'python3 15783', '(resolved) 15934'], false],
    ['published/kernel-oom-memcg-1.txt', ['mysqld 71414', 'mysqld 123841'], true],
    ['published/kernel-oom-memcg-2.txt', ['uwsgi 63214'], true],
  ];
  for (const [file, victims, memcg] of published) {
    it(`published ${file}: ${victims.join(', ')}`, () => {
      const kills = parseOomKills(lines(fixture(file)));
      assert.deepEqual(
        kills.map((k) => `${k.name} ${k.pid}`),
        victims,
      );
      assert.ok(kills.every((k) => k.memcg === memcg));
    });
  }

  it('systemd-oomd kills name the cgroup (both wordings); its other lines are no kills', () => {
    assert.deepEqual(
      parseOomKills(lines(fixture('published/systemd-oom-2.txt'))).map((k) => [k.by, k.name]),
      [['systemd-oomd', 'testsuite-55-testbloat.service']],
    );
    assert.deepEqual(
      parseOomKills(lines(fixture('published/systemd-oom-3.txt'))).map((k) => k.name),
      ['systemd-journald.service'],
    );
  });

  it('lines about the OOM killer that are no kill count nothing', () => {
    assert.deepEqual(parseOomKills(lines('python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0')), []);
    assert.deepEqual(parseOomKills(lines('oom_reaper: reaped process 63214 (uwsgi), now anon-rss:0kB, file-rss:0kB, shmem-rss:92kB')), []);
  });
});

describe('systemd crash events from the unit journal (JSON)', () => {
  it('a crash loop by exit code: every exit, the restart counter, and systemd giving up', () => {
    const j = parseJournalJson(fixture('systemd/journal-crash-loop-exit.json'));
    const mgr = j.entries.filter((e) => e.pid === '1').map((e) => ({ atMs: e.atMs, text: e.message }));
    const c = systemdCrashEvents(mgr);
    const said = fixture('systemd/journal-crash-loop-exit.short-iso.txt');
    assert.equal(c.exits, said.split('Main process exited, code=exited, status=1/FAILURE').length - 1);
    assert.ok(c.exits >= 5);
    assert.equal(c.lastExit, 'Main process exited, code=exited, status=1/FAILURE');
    assert.equal(c.restartCounter, Math.max(...[...said.matchAll(/restart counter is at (\d+)/g)].map((m) => Number(m[1]))));
    assert.equal(c.gaveUp, 'Start request repeated too quickly.');
  });

  it('the logs check names the crash loop and fails; the diagnosis says crash-loop, critical, no restart', () => {
    const out = evaluateLogs(systemdOutput(fixture('systemd/journal-crash-loop-exit.json'), ''), systemdApp, T);
    assert.equal(out.status, 'fail');
    assert.match(
      out.details.signals['crash-loop']?.evidence ?? '',
      new RegExp(
        String.raw`^\d+ unexpected exits in 15 min \(last: "Main process exited, code=exited, status=1\/FAILURE"\); ` +
          String.raw`restart counter at \d+; systemd gave up: "Start request repeated too quickly\."`,
      ),
    );
    const causes = diagnose({
      checks: [{ id: 'logs', status: out.status, summary: out.summary, details: out.details, evidence: out.evidence, durationMs: 1 }],
      poolRecycle: 3600,
      thresholds: T,
      rssHistory: [],
      now: 0,
    });
    assert.deepEqual([causes[0]?.id, causes[0]?.severity, causes[0]?.restartHelps], ['crash-loop', 'critical', false]);
    assert.match(causes[0]?.title ?? '', /systemd gave up restarting it/);
  });

  it('a crash loop by kill -9 while it keeps being restarted', () => {
    const out = evaluateLogs(systemdOutput(fixture('systemd/journal-crash-loop-signal.json'), ''), systemdApp, T);
    const c = out.details.crashes;
    assert.ok(c && c.exits >= 2, `${c?.exits} exits`);
    assert.equal(c.lastExit, 'Main process exited, code=killed, status=9/KILL');
    assert.ok(out.details.signals['crash-loop']);
  });

  it('journal priorities: PRIORITY 3/2 lines are errors, plain stdout/stderr is not; a traceback is one record', () => {
    const out = evaluateLogs(systemdOutput(fixture('systemd/journal-priorities.json'), ''), systemdApp, T);
    const entries = parseJournalJson(fixture('systemd/journal-priorities.json')).entries.filter((e) => e.pid !== '1');
    const severe = entries.filter((e) => e.priority <= 3).length;
    assert.ok(severe >= 2, 'the fixture has <3> and <2> lines');
    assert.ok(out.details.errors >= severe, `${out.details.errors} errors, ${severe} entries at PRIORITY ≤ 3`);
    assert.ok(out.details.records < entries.length, 'traceback entries join the record above them');
  });
});

describe('OOM kills → app-oom-killed, naming the victim', () => {
  const cause = (journal: string, kernel: string, service = 'moneymind') => {
    const out = evaluateLogs(systemdOutput(journal, kernel), { ...systemdApp, service }, T);
    const causes = diagnose({
      checks: [{ id: 'logs', status: out.status, summary: out.summary, details: out.details, evidence: out.evidence, durationMs: 1 }],
      poolRecycle: 3600,
      thresholds: T,
      rssHistory: [],
      now: 0,
    });
    return { out, oom: causes.find((c) => c.id === 'app-oom-killed') };
  };

  it("the app's unit died of SIGKILL the moment the kernel killed python3 (cgroup v1: systemd says only 'signal'): the app, its cgroup's limit", () => {
    const { out, oom } = cause(fixture('systemd/journal-oom-kill-python.json'), fixture('kernel/oom-memcg-2kills-journal-k.json'));
    assert.deepEqual(
      out.details.oomKills?.map((k) => `${k.name} ${k.pid} ${k.victim}`),
      ['python3 16651 app', 'python3 17167 app'],
    );
    assert.equal(out.status, 'fail');
    assert.equal(oom?.severity, 'critical');
    assert.match(oom?.title ?? '', /^The OOM killer killed the app \(python3, pid 17167\) 2 times\. Its cgroup's memory limit ran out/);
    assert.match(oom?.evidence[0] ?? '', /^2 OOM kills in 15 min: python3 pid 16651 \(the app, its cgroup memory limit\)/);
  });

  it('the same kernel lines beside another unit are not the app', () => {
    const { out, oom } = cause(fixture('systemd/journal-crash-loop-exit.json'), fixture('kernel/oom-memcg-perl-journal-k.json'));
    assert.deepEqual(
      out.details.oomKills?.map((k) => k.victim),
      ['other'],
    );
    assert.equal(oom?.severity, 'warning');
    assert.match(oom?.title ?? '', /another process \(perl, pid 17634\)/);
  });

  it('mysqld killed: the database, not the app', () => {
    const kernel = fixture('published/kernel-oom-memcg-1.txt')
      .split('\n')
      .map((m, i) =>
        JSON.stringify({
          __REALTIME_TIMESTAMP: String((1796086000000 + i) * 1000),
          PRIORITY: '3',
          SYSLOG_IDENTIFIER: 'kernel',
          MESSAGE: m.replace(/^\[[^\]]*\] /, ''),
        }),
      )
      .join('\n');
    const { oom } = cause('', kernel);
    assert.equal(oom?.severity, 'critical');
    assert.match(oom?.title ?? '', /^The OOM killer killed the database \(mysqld, pid 123841\), not the app\. Its cgroup's memory limit ran out/);
  });

  it("systemd's own OOM words (cgroup v2 hosts) are enough without kernel lines", () => {
    // systemd-oom-4.txt shows the wording for slices; the unit's own line has the same text.
    const said = fixture('published/systemd-oom-4.txt')
      .split('\n')[0]!
      .replace(/^.*systemd\[1\]: [^:]+: /, '');
    assert.equal(said, 'A process of this unit has been killed by the OOM killer.');
    const journal = JSON.stringify({
      __REALTIME_TIMESTAMP: '1796086456235000',
      PRIORITY: '4',
      SYSLOG_IDENTIFIER: 'systemd',
      _PID: '1',
      MESSAGE: `moneymind.service: ${said}`,
    });
    const { oom } = cause(journal, '');
    assert.equal(oom?.severity, 'critical');
    assert.match(oom?.title ?? '', /^The OOM killer killed the app\./);
  });

  it('an unreadable kernel journal is said, never "no OOM kills"', () => {
    const out = evaluateLogs(
      `@@now\n2026-11-25 22:10:00 +0000\n@@log\n\n@@journal\n\n@@kernel\nHint: You are currently not seeing messages from other users and the system.\n`,
      systemdApp,
      T,
    );
    assert.equal(out.details.oomKills, null);
    assert.match(out.summary, /kernel log: not readable by the bot's user \(add it to the systemd-journal or adm group\)/);
  });
});

describe('supervisord crash events (published supervisord logs)', () => {
  const at = (text: string) => text.split('\n').map((t) => ({ atMs: 0, text: t }));
  it('exits "not expected" and giving up, for the program only', () => {
    const c = supervisordCrashEvents(at(fixture('published/supervisord-crash-1.txt')), 'gunicorn');
    assert.ok(c.exits >= 2);
    assert.equal(c.gaveUp, 'gave up: gunicorn entered FATAL state, too many start retries too quickly');
    assert.equal(supervisordCrashEvents(at(fixture('published/supervisord-crash-1.txt')), 'other').exits, 0);
    const d = supervisordCrashEvents(at(fixture('published/supervisord-crash-2.txt')), 'homework-tracker');
    assert.ok(d.exits >= 5 && d.gaveUp);
  });
});
