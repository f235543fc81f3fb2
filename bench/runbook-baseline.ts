import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../test/support/proc.js';
import type { MariadbHandle } from '../test/support/mariadb.js';
import type { SshdHandle } from '../test/support/sshd.js';

export interface BaselineTarget {
  sshd: SshdHandle;
  db?: MariadbHandle;
  healthUrl: string;
  logFile: string;
  /** The service status as the runbook types it: `systemctl status moneymind`, or supervisorctl's. */
  serviceStatus: string;
}

/**
 * The runbook's diagnosis as an operator types it: one `ssh host 'command'` per line, in order,
 * with the OpenSSH client (a new connection each time, as people do). Think time is not counted:
 * only the machines' time. Returns the total in ms.
 */
export async function runbookBaseline(host: BaselineTarget, dir: string): Promise<{ totalMs: number; steps: { cmd: string; ms: number; code: number }[] }> {
  const { sshd, db } = host;
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${sshd.port} ${sshd.hostPublicKey}\n`);
  const mysql = db ? `MYSQL_PWD='${db.monitorPassword}' mysql -h 127.0.0.1 -P ${db.port} -u monitor` : 'true';
  const appPort = new URL(host.healthUrl).port;
  const commands = [
    'top -bn1 | head -n 20',
    'free -h',
    'df -h',
    'ps aux | grep python',
    `ss -tlnp | grep ${appPort}`,
    `curl -fsS ${host.healthUrl}`,
    host.serviceStatus,
    `tail -n 100 ${host.logFile}`,
    `${mysql} -e "SHOW VARIABLES LIKE 'wait_timeout'"`,
    `${mysql} -e "SHOW PROCESSLIST"`,
  ];
  const steps: { cmd: string; ms: number; code: number }[] = [];
  for (const cmd of commands) {
    const t0 = performance.now();
    const res = await run(
      'ssh',
      [
        '-i',
        sshd.privateKeyPath,
        '-p',
        String(sshd.port),
        '-o',
        `UserKnownHostsFile=${knownHosts}`,
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        'BatchMode=yes',
        `${sshd.user}@127.0.0.1`,
        cmd,
      ],
      { timeoutMs: 30_000 },
    );
    steps.push({ cmd: cmd.replace(/MYSQL_PWD='[^']*'/, "MYSQL_PWD='…'"), ms: performance.now() - t0, code: res.code });
  }
  return { totalMs: steps.reduce((a, s) => a + s.ms, 0), steps };
}
