import { OpsError } from '../errors.js';
import type { Env } from './load-config.js';
import { Secret } from './secret.js';

/**
 * How the bot talks to Slack, from the environment (read once at start, like the config):
 * bot + app token → Socket Mode; bot token + signing secret → HTTP mode on PORT; no tokens →
 * terminal mode.
 */
export type SlackSettings =
  | { readonly mode: 'none' }
  | { readonly mode: 'socket'; readonly botToken: Secret; readonly appToken: Secret; readonly apiUrl: string | undefined }
  | { readonly mode: 'http'; readonly botToken: Secret; readonly signingSecret: Secret; readonly port: number; readonly apiUrl: string | undefined };

export function loadSlackSettings(env: Env): SlackSettings {
  const bot = env.SLACK_BOT_TOKEN;
  const apiUrl = env.SLACK_API_URL || undefined;
  if (!bot) {
    if (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET)
      throw new OpsError('CONFIG', 'SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not', {
        fix: 'export SLACK_BOT_TOKEN (xoxb-…) too, or unset them for terminal mode',
      });
    return { mode: 'none' };
  }
  if (env.SLACK_APP_TOKEN) return { mode: 'socket', botToken: new Secret(bot), appToken: new Secret(env.SLACK_APP_TOKEN), apiUrl };
  if (!env.SLACK_SIGNING_SECRET)
    throw new OpsError('CONFIG', 'SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is', {
      fix: 'export one of them (see the README, Slack app setup)',
    });
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new OpsError('CONFIG', `PORT=${env.PORT} is not a port number`, { fix: 'export PORT=3000' });
  return { mode: 'http', botToken: new Secret(bot), signingSecret: new Secret(env.SLACK_SIGNING_SECRET), port, apiUrl };
}
