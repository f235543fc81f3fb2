import type { Logger } from 'pino';
import { redact as patterns, type Redact } from '../boundary/redact.js';
import { redactingTransport } from '../boundary/redacting-transport.js';
import type { HostConfig, JumpHostConfig } from '../config/types.js';
import { OpsError } from '../errors.js';
import type { HostTransport } from './host-transport.js';
import { LocalTransport } from './local-transport.js';
import { SshTransport } from './ssh-transport.js';

/**
 * One transport per configured host, created on first use and kept for the life of the process
 * so the watcher and every command reuse the same SSH connection. Each is wrapped in the
 * redaction boundary: what a host answers is redacted before anything reads it. `redact` is the
 * process's Redactor (its patterns plus the configured secrets); the patterns alone by default.
 * A jump host (`jumpHosts:`) is one more SSH connection here, keyed by its name and shared by every
 * host behind it: theirs run over its forwarding channels.
 */
export class TransportPool {
  readonly #byName = new Map<string, HostTransport>();
  readonly #jumps = new Map<string, SshTransport>();
  readonly #log: Logger;
  readonly #redact: Redact;

  constructor(log: Logger, redact: Redact = patterns) {
    this.#log = log;
    this.#redact = redact;
  }

  get(host: HostConfig): HostTransport {
    let t = this.#byName.get(host.name);
    if (!t) {
      t = redactingTransport(this.#create(host, this.#log.child({ host: host.name })), this.#redact);
      this.#byName.set(host.name, t);
    }
    return t;
  }

  /** A jump host's one connection, made if none is yet (`scan --jump` tunnels through it); closed by closeAll. */
  jump(j: JumpHostConfig): SshTransport {
    return this.#jump(j);
  }

  /** The jump host's one connection (made on first use by a host behind it); for tests and benchmarks. */
  jumpTransport(name: string): SshTransport | undefined {
    return this.#jumps.get(name);
  }

  async closeAll(): Promise<void> {
    const all = [...this.#byName.values()];
    const jumps = [...this.#jumps.values()];
    this.#byName.clear();
    this.#jumps.clear();
    // The hosts first, then the bastions their connections run through.
    await Promise.allSettled(all.map((t) => t.close()));
    await Promise.allSettled(jumps.map((t) => t.close()));
  }

  #create(host: HostConfig, log: Logger): HostTransport {
    if (host.transport === 'local') return new LocalTransport();
    if (!host.ssh) throw new OpsError('CONFIG', `hosts.${host.name}.ssh is missing`);
    const jump = host.ssh.jump;
    return new SshTransport(host.ssh, log, jump ? { via: this.#jump(jump) } : {});
  }

  #jump(j: JumpHostConfig): SshTransport {
    let t = this.#jumps.get(j.name);
    if (!t) {
      t = new SshTransport(j, this.#log.child({ jumpHost: j.name }), { jumpHost: j.name });
      this.#jumps.set(j.name, t);
    }
    return t;
  }
}
