import type { Logger } from 'pino';
import { createCliApp } from '../app/create-cli-app.js';
import { CHECK_IDS } from '../checks/check-types.js';
import type { Env } from '../config/load-config.js';
import type { Config, JumpHostConfig } from '../config/types.js';
import { selectHosts } from '../engine/select-hosts.js';
import { doctorPassed } from '../doctor/doctor-types.js';
import { asOpsError, OpsError } from '../errors.js';
import { type CliArgs, parseArgs, USAGE } from './parse-args.js';
import { renderDoctor } from '../render/render-doctor.js';
import { renderHosts, renderReports } from '../render/render-text.js';
import { scanText } from './scan-text.js';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTTY: boolean;
}

/** The terminal CLI. Returns the exit code: 0 healthy, 1 unhealthy, 2 usage or config error. */
export async function runCli(argv: readonly string[], env: Env, io: CliIo, logger?: Logger): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    return usageFailure(asOpsError(err), io);
  }
  // A person at a terminal reads the answer, not the bot's JSON log lines: those only with
  // --verbose or LOG_LEVEL (what goes wrong on a host is in the report itself, once, in words).
  const app = createCliApp({ env, log: logger, level: args.verbose ? 'info' : (env.LOG_LEVEL ?? 'silent') });
  try {
    if (args.command.kind === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    if (args.command.kind === 'scan') {
      // No config needed (it is how a host gets into one; only --jump reads it, for the bastion) and
      // none is written: it prints, a person verifies.
      const jump = args.command.jump === undefined ? undefined : jumpHostNamed(app.loadConfig(args.config), args.command.jump);
      const { target, keys } = await app.scanHostKeys(args.command.target, SCAN_TIMEOUT_MS, jump);
      io.stdout(scanText(target, keys));
      return 0;
    }
    const config = app.loadConfig(args.config);
    // First run: say which config answers, and what the built-in one checks (stderr: --json stays clean).
    if (config.source.startsWith('built-in')) io.stderr(FIRST_RUN);
    if (args.command.kind === 'hosts') {
      io.stdout(args.json ? JSON.stringify({ hosts: config.hosts.map(hostSummary) }, null, 2) : renderHosts(config));
      return 0;
    }
    const hosts = selectHosts(config, args.command.host);
    if (args.command.kind === 'doctor') {
      const found = await app.doctor(config, hosts);
      io.stdout(args.json ? JSON.stringify({ hosts: found }, null, 2) : renderDoctor(found));
      return doctorPassed(found) ? 0 : 1;
    }
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
    if (e.code === 'USAGE') return usageFailure(e, io);
    io.stderr(`moneymind: ${e.toUserText()}`);
    return e.code === 'INTERNAL' ? 1 : 2;
  } finally {
    await app.close();
  }
}

/** Per handshake of `scan` (one per key type). */
const SCAN_TIMEOUT_MS = 10_000;

export const FIRST_RUN =
  "moneymind: no config: checking this machine with the runbook's defaults — write moneymind.yml (README, Configuration) or pass --config PATH";

/** A usage error: the reason and one hint, not the whole usage text. */
function usageFailure(e: OpsError, io: CliIo): number {
  io.stderr(`moneymind: ${e.toUserText()}\n(moneymind --help lists the commands)`);
  return 2;
}

function hostSummary(h: Config['hosts'][number]): object {
  return {
    name: h.name,
    transport: h.transport,
    address: h.ssh ? `${h.ssh.host}:${h.ssh.port}` : 'local',
    jumpHost: h.ssh?.jump?.name ?? null,
    service: h.app.service,
    manager: h.app.manager,
    port: h.app.port,
    mysql: h.mysql ? `${h.mysql.host}:${h.mysql.port}` : null,
  };
}

/** `--jump NAME`: a jumpHosts entry of the config, or a usage error listing them. */
function jumpHostNamed(config: Config, name: string): JumpHostConfig {
  const j = config.jumpHosts.find((x) => x.name === name);
  if (j) return j;
  const known = config.jumpHosts.map((x) => x.name);
  throw new OpsError('USAGE', `no jump host "${name}" in ${config.source}`, {
    fix: known.length ? `jump hosts: ${known.join(', ')}` : 'add it under jumpHosts: in the config (README, Jump hosts)',
  });
}
