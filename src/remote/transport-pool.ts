import type { Logger } from 'pino';
import type { HostConfig } from '../config/types.js';
import { OpsError } from '../errors.js';
import type { HostTransport } from './host-transport.js';
import { LocalTransport } from './local-transport.js';
import { SshTransport } from './ssh-transport.js';

/**
 * One transport per configured host, created on first use and kept for the life of the process
 * so the watcher and every command reuse the same SSH connection.
 */
export class TransportPool {
  readonly #byName = new Map<string, HostTransport>();
  readonly #log: Logger;

  constructor(log: Logger) {
    this.#log = log;
  }

  get(host: HostConfig): HostTransport {
    let t = this.#byName.get(host.name);
    if (!t) {
      t = create(host, this.#log.child({ host: host.name }));
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
