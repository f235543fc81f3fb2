import { existsSync } from 'node:fs';
import type { Env } from './load-config.js';

/**
 * Which config file to read: --config, then MONEYMIND_CONFIG, then ./moneymind.yml. Undefined
 * means none: the built-in single `local` host. The CLI and the bot both start here.
 */
export function configPath(flag: string | undefined, env: Env): string | undefined {
  if (flag) return flag;
  if (env.MONEYMIND_CONFIG) return env.MONEYMIND_CONFIG;
  return existsSync('moneymind.yml') ? 'moneymind.yml' : undefined;
}
