import type { Logger } from 'pino';
import { redact as patterns, type Redact } from '../boundary/redact.js';
import { redactingTransport } from '../boundary/redacting-transport.js';
import type { HostConfig } from '../config/types.js';
import { OpsError } from '../errors.js';
import type { HostTransport } from './host-transport.js';
import { LocalTransport } from './local-transport.js';
import { SshTransport } from './ssh-transport.js';

/**
 * One transport per configured host, created on first use and kept for the life of the process
 * so the watcher and every command reuse the same SSH connection. Each is wrapped in the
 * redaction boundary: what a host answers is redacted before anything reads it. `redact` is the
 * process's Redactor (its patterns plus the configured secrets); the patterns alone by default.
 */
export class TransportPool {
  readonly #byName = new Map<string, HostTransport>();
  readonly #log: Logger;
  readonly #redact: Redact;

  constructor(log: Logger, redact: Redact = patterns) {
    this.#log = log;
    this.#redact = redact;
  }

  get(host: HostConfig): HostTransport {
    let t = this.#byName.get(host.name);
    if (!t) {
      t = redactingTransport(create(host, this.#log.child({ host: host.name })), this.#redact);
      this.#byName.set(host.name, t);
    }
    return t;
  }

  async closeAll(): Promise<void> {
    const all = [...this.#byName.values()];
    this.#byName.clear();
    await Promise.allSettled(all.map((t) => t.close()));
  }
}

function create(host: HostConfig, log: Logger): HostTransport {
  if (host.transport === 'local') return new LocalTransport();
  if (!host.ssh) throw new OpsError('CONFIG', `hosts.${host.name}.ssh is missing`);
  return new SshTransport(host.ssh, log);
}
