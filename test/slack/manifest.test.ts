import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { COMMANDS } from '../../src/commands/router.js';

// The manifest is what people paste into Slack; it must match what the code serves.
const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
  features: { slash_commands: { command: string; usage_hint: string }[]; bot_user: { display_name: string } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean }; socket_mode_enabled: boolean };
};

describe('manifest.yml', () => {
  it('asks for no scope the bot does not use', () => {
    assert.deepEqual(manifest.oauth_config.scopes.bot, ['commands', 'chat:write', 'files:write', 'usergroups:read']);
  });
  it('declares /moneymind with a usage hint naming every router command', () => {
    const [cmd] = manifest.features.slash_commands;
    assert.equal(cmd?.command, '/moneymind');
    for (const c of COMMANDS) assert.match(cmd!.usage_hint, new RegExp(`\\b${c.name}\\b`), c.name);
  });
  it('turns on interactivity (buttons) and Socket Mode (the default mode)', () => {
    assert.equal(manifest.settings.interactivity.is_enabled, true);
    assert.equal(manifest.settings.socket_mode_enabled, true);
  });
});
