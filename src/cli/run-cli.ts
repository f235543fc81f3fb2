import type { Logger } from 'pino';
import { createCliApp } from '../app/create-cli-app.js';
import { CHECK_IDS } from '../checks/check-types.js';
import type { Env } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { selectHosts } from '../engine/select-hosts.js';
import { asOpsError, OpsError } from '../errors.js';
import { parseArgs, USAGE } from './parse-args.js';
import { renderHosts, renderReports } from '../render/render-text.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
}

/** The terminal CLI. Returns the exit code: 0 healthy, 1 unhealthy, 2 usage or config error. */
export async function runCli(argv: readonly string[], env: Env, io: CliIo, logger?: Logger): Promise<number> {
  const app = createCliApp({ env, log: logger });
  try {
    const args = parseArgs(argv);
    if (args.command.kind === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    const config = app.loadConfig(args.config);
    if (args.command.kind === 'hosts') {
      io.stdout(args.json ? JSON.stringify({ hosts: config.hosts.map(hostSummary) }, null, 2) : renderHosts(config));
      return 0;
    }
    const hosts = selectHosts(config, args.command.host);
    if (args.command.kind === 'check' && args.command.check === 'db' && hosts.every((h) => !h.mysql)) {
      throw new OpsError('USAGE', `no mysql section for ${hosts.map((h) => h.name).join(', ')}`, {
        fix: 'add mysql: { user, passwordEnv } to the host in the config',
      });
    }
    const ids = args.command.kind === 'check' ? [args.command.check] : CHECK_IDS;
    const reports = await app.checkHosts(config, hosts, ids);
    io.stdout(args.json ? JSON.stringify({ hosts: reports }, null, 2) : renderReports(reports, { color: io.isTTY, detail: args.command.kind === 'check' }));
    return reports.every((r) => r.ok) ? 0 : 1;
  } catch (err) {
    const e = asOpsError(err);
    if (e.code === 'INTERNAL') app.log.error({ err }, 'unexpected error');
    io.stderr(`moneymind: ${e.toUserText()}${e.code === 'USAGE' ? `\n\n${USAGE}` : ''}`);
    return e.code === 'INTERNAL' ? 1 : 2;
  } finally {
    await app.close();
  }
}

function hostSummary(h: Config['hosts'][number]): object {
  return {
    name: h.name,
    transport: h.transport,
    address: h.ssh ? `${h.ssh.host}:${h.ssh.port}` : 'local',
    service: h.app.service,
    manager: h.app.manager,
    port: h.app.port,
    mysql: h.mysql ? `${h.mysql.host}:${h.mysql.port}` : null,
  };
}
