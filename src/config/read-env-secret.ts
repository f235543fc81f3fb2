import type { Env } from './load-config.js';
import { Secret } from './secret.js';

/** The secret held by environment variable `name`, which `field` names; an unset one is a problem. */
export function readEnvSecret(field: string, name: string, env: Env, problems: string[]): Secret {
  const value = env[name];
  if (value === undefined || value === '') problems.push(`${field}: environment variable ${name} is not set — export it before starting the bot`);
  return new Secret(value ?? '');
}
