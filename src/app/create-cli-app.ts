import type { Logger } from 'pino';
import { Redactor } from '../boundary/redactor.js';
import { secretValues } from '../boundary/secret-values.js';
import type { CheckId } from '../checks/check-types.js';
import { configPath } from '../config/config-path.js';
import { type Env, loadConfig } from '../config/load-config.js';
import type { Config, HostConfig } from '../config/types.js';
import { checkHosts } from '../engine/check-hosts.js';
import type { HostReport } from '../engine/host-report.js';
import { createLogger } from '../log/create-logger.js';
import { TransportPool } from '../remote/transport-pool.js';

export interface CliDeps {
  readonly env: Env;
  /** Tests pass their own; otherwise pino on stderr at `level`. */
  readonly log?: Logger;
  /** The pino level when no logger is given (the CLI: silent unless --verbose or LOG_LEVEL). */
  readonly level?: string;
  readonly clock?: () => number;
}

export interface CliApp {
  readonly log: Logger;
  /** `--config PATH`, else MONEYMIND_CONFIG, ./moneymind.yml or one local host; its secrets join the redaction. */
  loadConfig(file: string | undefined): Config;
  checkHosts(config: Config, hosts: readonly HostConfig[], ids: readonly CheckId[]): Promise<HostReport[]>;
  /** Closes the SSH connections a run opened. */
  close(): Promise<void>;
}

/** The one-shot CLI's wiring: logger and redactor, config, transports on first use, the engine. */
export function createCliApp(d: CliDeps): CliApp {
  const clock = d.clock ?? Date.now;
  // Host text and log lines are redacted; the config's secrets join the patterns once loaded.
  const redactor = new Redactor();
  const log = d.log ?? createLogger({ level: d.level ?? d.env.LOG_LEVEL ?? 'warn', redact: redactor.redact });
  // Connects nothing until a host is asked for: `hosts` and `--help` never reach one.
  const pool = new TransportPool(log, redactor.redact);
  return {
    log,
    loadConfig(file) {
      const config = loadConfig(d.env, configPath(file, d.env));
      redactor.addSecrets(secretValues(config));
      return config;
    },
    checkHosts: (config, hosts, ids) => checkHosts(hosts, (h) => pool.get(h), config.thresholds, { ids, now: clock, log }),
    close: () => pool.closeAll(),
  };
}
