import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../test/support/proc.js';
import type { TestHost } from '../test/support/test-host.js';

/**
 * The runbook's diagnosis as an operator types it: one `ssh host 'command'` per line, in order,
 * with the OpenSSH client (a new connection each time, as people do). Think time is not counted:
 * only the machines' time. Returns the total in ms.
 */
export async function runbookBaseline(host: TestHost, dir: string): Promise<{ totalMs: number; steps: { cmd: string; ms: number; code: number }[] }> {
  const { sshd, app, db } = host;
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
  const mysql = db ? `MYSQL_PWD='${db.monitorPassword}' mysql -h 127.0.0.1 -P ${db.port} -u monitor` : 'true';
  const appPort = new URL(app.healthUrl).port;
  const commands = [
    'top -bn1 | head -n 20',
    'free -h',
    'df -h',
    'ps aux | grep python',
    `ss -tlnp | grep ${appPort}`,
    `curl -fsS ${app.healthUrl}`,
    `sudo -n supervisorctl -c ${app.supervisorConfig} status moneymind`,
    `tail -n 100 ${app.logFile}`,
    `${mysql} -e "SHOW VARIABLES LIKE 'wait_timeout'"`,
    `${mysql} -e "SHOW PROCESSLIST"`,
  ];
  const steps: { cmd: string; ms: number; code: number }[] = [];
  for (const cmd of commands) {
    const t0 = performance.now();
    const res = await run('ssh', ['-i', sshd.privateKeyPath, '-p', String(sshd.port), '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${sshd.user}@127.0.0.1`, cmd], { timeoutMs: 30_000 });
    steps.push({ cmd: cmd.replace(/MYSQL_PWD='[^']*'/, "MYSQL_PWD='…'"), ms: performance.now() - t0, code: res.code });
  }
  return { totalMs: steps.reduce((a, s) => a + s.ms, 0), steps };
}
