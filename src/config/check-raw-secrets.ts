import type { z } from 'zod';
import { keySourceProblem } from './key-source-problem.js';
import type { Env, FieldName } from './load-config.js';
import { readAgentSocket } from './read-agent-socket.js';
import { readEnvSecret } from './read-env-secret.js';
import { readKnownHosts } from './read-known-hosts.js';
import { type KeyCache, readSshKey } from './read-ssh-key.js';
import { hostSchema } from './schema.js';

const sshShape = hostSchema.shape.ssh.unwrap().shape;
const mysqlShape = hostSchema.shape.mysql.unwrap().shape;

/**
 * For a document that failed the schema: looks up every secret whose own field is valid anyway
 * (unset variables, unreadable or unusable key files) and adds those problems, so the one error
 * lists them beside the schema's and fixing one round does not just reveal the next. A typo in
 * hosts[1], or elsewhere in hosts[0].ssh, does not hide hosts[0]'s unset password variable.
 */
export function checkRawSecrets(doc: unknown, env: Env, problems: string[], name: FieldName): void {
  const hosts = isRecord(doc) && Array.isArray(doc.hosts) ? doc.hosts : [];
  const jumps = isRecord(doc) && Array.isArray(doc.jumpHosts) ? doc.jumpHosts : [];
  const keys: KeyCache = new Map();
  hosts.forEach((host: unknown, i) => {
    if (!isRecord(host)) return;
    const field = (...path: string[]) => name(['hosts', i, ...path]);
    const { ssh, mysql } = host;
    if (valid(hostSchema.shape.transport, host.transport) === 'ssh' && isRecord(ssh)) checkSsh(ssh, (f) => field('ssh', f), env, problems, keys);
    const passwordEnv = isRecord(mysql) ? valid(mysqlShape.passwordEnv, mysql.passwordEnv) : undefined;
    if (passwordEnv) readEnvSecret(field('mysql', 'passwordEnv'), passwordEnv, env, problems);
  });
  // A bastion's key, agent and known_hosts file are looked up in the same round as the hosts'.
  jumps.forEach((jump: unknown, i) => {
    if (isRecord(jump)) checkSsh(jump, (f) => name(['jumpHosts', i, f]), env, problems, keys);
  });
}

/** One `ssh:` section's (or a jump host's) key source and known_hosts file, where its own fields are valid. */
function checkSsh(ssh: Record<string, unknown>, field: (f: string) => string, env: Env, problems: string[], keys: KeyCache): void {
  // Several key sources or none is a schema error already: only a single one names a key to check.
  if (!keySourceProblem(ssh)) {
    if (ssh.agent === true) readAgentSocket(field('agent'), env, problems);
    else
      readSshKey(
        {
          privateKeyPath: valid(sshShape.privateKeyPath, ssh.privateKeyPath),
          privateKeyEnv: valid(sshShape.privateKeyEnv, ssh.privateKeyEnv),
          privateKeyPassphraseEnv: valid(sshShape.privateKeyPassphraseEnv, ssh.privateKeyPassphraseEnv),
        },
        field,
        env,
        problems,
        keys,
      );
  }
  // Not a secret, but a file read at load all the same: its problems belong in the same round.
  const [path, sshHost, port] = [valid(sshShape.knownHostsPath, ssh.knownHostsPath), valid(sshShape.host, ssh.host), valid(sshShape.port, ssh.port)];
  if (path && sshHost && port) readKnownHosts(path, sshHost, port, field('knownHostsPath'), problems);
}

function valid<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
