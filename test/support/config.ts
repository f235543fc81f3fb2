import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { type Env, resolveConfig } from '../../src/config/load-config.js';
import { OpsError } from '../../src/errors.js';
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

/**
 * The problems of a config that must fail to load, one per line, without the list's "  - ":
 * `load` is what loads it (resolveConfig or loadConfig); anything but a CONFIG error fails the test.
 */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (err) {
    assert.ok(err instanceof OpsError, String(err));
    assert.equal(err.code, 'CONFIG');
    return err.message
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^ {2}- /, ''));
  }
  return assert.fail('expected a config error');
}
