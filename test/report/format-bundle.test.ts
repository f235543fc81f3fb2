import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatBundle, type BundleParts } from '../../src/report/format-bundle.js';

const base: BundleParts = {
  host: 'prod-1',
  transport: 'ssh ops@10.0.0.5:22',
  madeAt: Date.parse('2026-11-25T10:00:00Z'),
  diagnosis: 'prod-1  ✗ UNHEALTHY',
  probe: { output: '@@os\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n@@python\nPython 3.11.2\n@@log\nline 1\nline 2\n', truncated: false },
  db: { variables: new Map([['wait_timeout', '600']]), status: new Map([['Threads_connected', '3']]) },
  logFile: '/var/log/moneymind.log',
};

describe('formatBundle: one file, every part, failures said in place', () => {
  it('names the host, counts the log lines, and keeps the section order', () => {
    const b = formatBundle(base);
    assert.equal(b.filename, 'moneymind-prod-1-2026-11-25T10-00-00-000Z.txt');
    assert.equal(b.summary, 'support bundle for prod-1: 1 KB, 2 log lines');
    const titles = [...b.text.matchAll(/^== (.*) ==$/gm)].map((m) => m[1]);
    assert.deepEqual(titles, [
      'Diagnosis',
      'OS',
      'Kernel',
      'Uptime',
      'Python',
      'Service state',
      'Service configuration',
      'Memory (free -m)',
      'Load average and cores',
      'Disk',
      'Processes by memory',
      'Listening sockets',
      'Log: last 200 lines of /var/log/moneymind.log',
      'Database',
    ]);
    assert.match(b.text, /== Kernel ==\n\(not collected\)/);
    assert.match(b.text, /wait_timeout +600/);
  });

  it('a failed host part and a failed DB part are reported, not thrown', () => {
    const b = formatBundle({ ...base, probe: { error: 'EXEC_TIMEOUT: command timed out after 10 s' }, db: { error: 'DB_CONNECT: connection refused' } });
    assert.match(b.text, /== Host ==\ncould not collect: EXEC_TIMEOUT/);
    assert.match(b.text, /== Database ==\ncould not read: DB_CONNECT: connection refused/);
    assert.match(b.summary, /host part failed, DB part failed$/);
  });

  it('a host without mysql says so; an empty log is not "not collected"; cut output is flagged', () => {
    const b = formatBundle({ ...base, db: undefined, probe: { output: '@@log\n', truncated: true } });
    assert.match(b.text, /== Database ==\nno mysql section in the host config/);
    assert.match(b.text, /\(the log is empty\)/);
    assert.match(b.text, /output was cut at the configured maxOutputBytes/);
  });

  it("an unreadable log says so; tail's complaint is not counted as a log line", () => {
    const b = formatBundle({
      ...base,
      probe: { output: "@@log\ntail: cannot open '/var/log/moneymind.log' for reading: Permission denied\n@@log-failed\n", truncated: false },
    });
    assert.match(b.text, /== Log: last 200 lines of \/var\/log\/moneymind\.log ==\ncould not read the log: tail: cannot open .*Permission denied/);
    assert.equal(b.summary, 'support bundle for prod-1: 1 KB, log not readable');
  });

  it('masks credentials anywhere in the file', () => {
    const b = formatBundle({ ...base, probe: { output: '@@log\nERROR: engine mysql://app:hunter2@db/x failed\n', truncated: false } });
    assert.ok(!b.text.includes('hunter2'));
  });
});
