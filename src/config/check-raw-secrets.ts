import type { z } from 'zod';
import type { Env } from './load-config.js';
import { readEnvSecret } from './read-env-secret.js';
import { readSshKey } from './read-ssh-key.js';
import { hostSchema } from './schema.js';

const sshShape = hostSchema.shape.ssh.unwrap().shape;
const mysqlShape = hostSchema.shape.mysql.unwrap().shape;

/**
 * For a document that failed the schema: looks up every secret whose own field is valid anyway
 * (unset variables, unreadable or unusable key files) and adds those problems, so the one error
 * lists them beside the schema's and fixing one round does not just reveal the next. A typo in
 * hosts[1], or elsewhere in hosts[0].ssh, does not hide hosts[0]'s unset password variable.
 */
export function checkRawSecrets(doc: unknown, env: Env, problems: string[]): void {
  const hosts = isRecord(doc) && Array.isArray(doc.hosts) ? doc.hosts : [];
  hosts.forEach((host: unknown, i) => {
    if (!isRecord(host)) return;
    const at = `hosts[${i}]`;
    const { ssh, mysql } = host;
    // Both key sources or neither is a schema error already: only a single one names a key to check.
    if (
      valid(hostSchema.shape.transport, host.transport) === 'ssh' &&
      isRecord(ssh) &&
      (ssh.privateKeyPath === undefined) !== (ssh.privateKeyEnv === undefined)
    )
      readSshKey(
        { privateKeyPath: valid(sshShape.privateKeyPath, ssh.privateKeyPath), privateKeyEnv: valid(sshShape.privateKeyEnv, ssh.privateKeyEnv) },
        at,
        env,
        problems,
      );
    const passwordEnv = isRecord(mysql) ? valid(mysqlShape.passwordEnv, mysql.passwordEnv) : undefined;
    if (passwordEnv) readEnvSecret(`${at}.mysql.passwordEnv`, passwordEnv, env, problems);
  });
}

function valid<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const r = schema.safeParse(value);
  return r.success ? r.data : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
