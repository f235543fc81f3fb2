import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { type Env, resolveConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';

/**
 * A `Config` from a plain document — what a moneymind.yml holds — validated and resolved exactly
 * as `loadConfig` resolves the file (same defaults, secrets from `env`, same errors): no temp file.
 */
export function testConfig(doc: object, env: Env = {}): Config {
  return resolveConfig(doc, env, 'test config');
}

/**
 * For tests where a real process reads its config (the bot, the CLI): `doc` as YAML at `path`.
 * Returns the path.
 */
export function writeConfigFile(path: string, doc: object): string {
  writeFileSync(path, stringify(doc));
  return path;
}
