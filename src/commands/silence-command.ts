import { formatDuration, parseDuration } from '../config/duration.js';
import { utcDateTime } from '../render/utc-time.js';
import type { Caller, Command } from './command.js';
import { hostsOrError, usageError } from './host-args.js';

const MAX_SILENCE_MS = 7 * 86_400_000;

/** Approvers in Slack; the terminal's operator already has the machine. */
export const mayManageAlerts = (caller: Caller, approvers: readonly string[]): boolean => caller.source === 'terminal' || approvers.includes(caller.userId);

/**
 * `silence HOST DURATION [reason]`: the host's incidents are still tracked but not posted until
 * the silence ends; one still firing then is posted. Said in the channel, so the team knows.
 */
export const silenceCommand: Command = {
  name: 'silence',
  usage: 'silence HOST DURATION [reason]',
  description: 'stop alert posts for a host for a while (approvers)',
  allowed: (caller, config) => mayManageAlerts(caller, config.slack.approvers),
  plan(args, config) {
    if (args.length < 2) return usageError(this, 'silence needs a host and a duration like 30m, 2h or 1d');
    const [name, d, ...words] = args as [string, string, ...string[]];
    if (name === 'all') return usageError(this, 'silence one host at a time');
    const hosts = hostsOrError(config, name);
    if (!Array.isArray(hosts)) return hosts;
    const ms = parseDuration(d);
    if (ms === undefined || ms < 60_000 || ms > MAX_SILENCE_MS) return usageError(this, `"${d}" is not a duration between 1m and 7d`);
    const reason = words.join(' ').slice(0, 200) || 'no reason given';
    const host = hosts[0]!.name;
    return {
      kind: 'plan',
      progress: `silencing ${host}…`,
      immediate: true,
      run: async (s, caller) => {
        if (!s.incidents) return { kind: 'error', visibility: 'ephemeral', message: 'silences need the store, which this bot runs without' };
        const by = caller?.source === 'slack' ? `<@${caller.userId}>` : (caller?.userId ?? 'terminal');
        const silence = await s.incidents.silence(host, ms, reason, by);
        return {
          kind: 'note',
          visibility: 'channel',
          text: `🔕 ${host} silenced for ${formatDuration(ms)} by ${by} (${reason}); until ${utcDateTime(silence.until)}. Incidents are still tracked.`,
        };
      },
    };
  },
};

export const unsilenceCommand: Command = {
  name: 'unsilence',
  usage: 'unsilence HOST',
  description: 'end a silence now (approvers)',
  allowed: (caller, config) => mayManageAlerts(caller, config.slack.approvers),
  plan(args, config) {
    if (args.length !== 1) return usageError(this, 'unsilence takes one host');
    const hosts = hostsOrError(config, args[0]);
    if (!Array.isArray(hosts)) return hosts;
    if (hosts.length !== 1) return usageError(this, 'unsilence one host at a time');
    const host = hosts[0]!.name;
    return {
      kind: 'plan',
      progress: `unsilencing ${host}…`,
      immediate: true,
      run: async (s) => {
        if (!s.incidents) return { kind: 'error', visibility: 'ephemeral', message: 'silences need the store, which this bot runs without' };
        return (await s.incidents.unsilence(host))
          ? { kind: 'note', visibility: 'channel', text: `🔔 ${host} is no longer silenced.` }
          : { kind: 'error', visibility: 'ephemeral', message: `${host} was not silenced` };
      },
    };
  },
};
