import type { Logger } from 'pino';
import { Redactor } from '../boundary/redactor.js';
import { secretValues } from '../boundary/secret-values.js';
import type { CheckId } from '../checks/check-types.js';
import { configPath } from '../config/config-path.js';
import { type Env, loadConfig } from '../config/load-config.js';
import type { Config, HostConfig, JumpHostConfig } from '../config/types.js';
import type { DoctorHost } from '../doctor/doctor-types.js';
import { doctorHost } from '../doctor/run-doctor.js';
import { checkHosts } from '../engine/check-hosts.js';
import type { HostReport } from '../engine/host-report.js';
import { createLogger } from '../log/create-logger.js';
import { parseScanTarget, type ScannedKey, type ScanTarget, scanHostKeys } from '../remote/scan-host-keys.js';
import { TransportPool } from '../remote/transport-pool.js';

export type { DoctorHost, ScannedKey, ScanTarget };

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
  /** `doctor`: each host's setup, checked over the same pooled transports. */
  doctor(config: Config, hosts: readonly HostConfig[]): Promise<DoctorHost[]>;
  /** `scan HOST[:PORT]`: the host keys a server offers (one handshake per key type, no login); USAGE for a bad name. */
  scanHostKeys(text: string, timeoutMs: number, jump?: JumpHostConfig): Promise<{ target: ScanTarget; keys: ScannedKey[] }>;
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
    doctor: (config, hosts) => Promise.all(hosts.map((h) => doctorHost(h, pool.get(h), config.thresholds))),
    async scanHostKeys(text, timeoutMs, jump) {
      const target = parseScanTarget(text);
      if (!jump) return { target, keys: await scanHostKeys(target, timeoutMs) };
      // Through the bastion (its own key pinned as always): each handshake over a fresh forwarding channel.
      const bastion = pool.jump(jump);
      return { target, keys: await scanHostKeys(target, timeoutMs, () => bastion.openTunnel(target.host, target.port, timeoutMs)) };
    },
    close: () => pool.closeAll(),
  };
}
