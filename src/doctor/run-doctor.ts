import { healthCheck } from '../checks/health-check.js';
import { portCheck } from '../checks/port-check.js';
import { splitSections } from '../checks/sections.js';
import type { HostConfig, Thresholds } from '../config/types.js';
import { asOpsError, type OpsError } from '../errors.js';
import type { HostTransport } from '../remote/host-transport.js';
import { healthItem, portItem } from './check-items.js';
import { doctorProbeCommand, hostUser } from './doctor-probe.js';
import type { DoctorHost, DoctorItem } from './doctor-types.js';
import { evaluateGrants, grantsError } from './evaluate-grants.js';
import { evaluateJournal, evaluateKernelLog, evaluateLogFile, parseId } from './evaluate-log-access.js';
import { evaluateSudoRestart, evaluateSudoStatus, sudoersLine } from './evaluate-sudo.js';
import { sshItem } from './ssh-item.js';

const SSH_CODES = new Set(['SSH_CONNECT', 'SSH_AUTH', 'SSH_HOSTKEY_MISMATCH']);

/**
 * Checks one host's setup against the README's least-privilege section: the probe (one exec), the
 * health and port checks, and SHOW GRANTS through the MySQL session. The first exec also proves
 * SSH: the transport pins the host key, so a mismatch is its error, reported with its fix.
 */
export async function doctorHost(host: HostConfig, transport: HostTransport, thresholds: Thresholds): Promise<DoctorHost> {
  const address = host.ssh ? `${host.ssh.username}@${host.ssh.host}:${host.ssh.port}` : 'this machine';
  let output: string;
  try {
    output = (await transport.exec(doctorProbeCommand(host.app), { timeoutMs: thresholds.commandTimeout, maxBytes: 256 * 1024 })).stdout;
  } catch (err) {
    const e = asOpsError(err);
    if (SSH_CODES.has(e.code)) return { name: host.name, address, items: [sshItem(host, e)] };
    return {
      name: host.name,
      address,
      items: [sshItem(host, undefined), { id: 'sudo-restart', mark: 'unknown', line: `the doctor's probe failed: ${e.message}` }],
    };
  }
  const s = splitSections(output);
  const id = parseId(s.get('id'));
  const user = hostUser(host, id.user);
  const bin = (s.get('bin') ?? '').trim().split('\n')[0]?.trim();
  const line = sudoersLine(host.app, user, host.app.manager === 'systemd' ? { systemctl: bin } : { supervisorctl: bin });
  const items: DoctorItem[] = [sshItem(host, undefined)];
  if (host.app.manager === 'supervisor') items.push(evaluateSudoStatus(s.get('sudo-status'), host.app, user, line));
  items.push(evaluateSudoRestart(s.get('sudo-restart'), host.app, user, line));
  items.push(evaluateLogFile(s.get('log-file'), host.app.logFile, user));
  if (host.app.manager === 'systemd') items.push(evaluateJournal(s.get('journal'), id.groups, user, host.app.service));
  items.push(evaluateKernelLog(s.get('kernel'), id.groups, user));
  const ctx = { host, thresholds, transport };
  const [health, port, grants] = await Promise.all([
    healthCheck.run(ctx).then((o) => healthItem(o, host.app.healthUrl), failed('health', 'GET /health')),
    portCheck.run(ctx).then((o) => portItem(o, user), failed('port-process', 'ss -tlnp')),
    host.mysql ? grantsOf(host, transport, thresholds) : Promise.resolve(undefined),
  ]);
  items.push(health, ...(grants ? [grants] : []), port);
  return { name: host.name, address, items };
}

async function grantsOf(host: HostConfig, transport: HostTransport, thresholds: Thresholds): Promise<DoctorItem> {
  const mysql = host.mysql;
  if (!mysql) throw new Error('grantsOf without mysql');
  try {
    return evaluateGrants(await transport.withMysql(mysql, thresholds.commandTimeout, (db) => db.query('SHOW GRANTS')), mysql.user);
  } catch (err) {
    const e: OpsError = asOpsError(err);
    return grantsError(e.message, e.fix);
  }
}

function failed(id: DoctorItem['id'], what: string): (err: unknown) => DoctorItem {
  return (err) => {
    const e = asOpsError(err);
    return { id, mark: 'unknown', line: `${what} could not run: ${e.message}`, ...(e.fix ? { fix: e.fix } : {}) };
  };
}
