import type { Answer } from '../../commands/answer.js';
import type { Caller, CommandServices } from '../../commands/command.js';
import { runCommand } from '../../commands/router.js';
import type { Config } from '../../config/types.js';
import { parseIncidentKey } from '../../domain/incident-key.js';

/**
 * The hosts an alert's [Silence 1h] covers. Its value is the incident key: `host:NAME|cause` is
 * that host; `db:NAME|db-unreachable` is every host configured with that database (the ones the
 * alert named, and any other that shares it); `jump:NAME|bastion-unreachable` every host behind
 * that jump host. Alerts posted before keys carried the host names
 * themselves, space-separated; those still work.
 */
export function silenceTargets(value: string, config: Config): string[] {
  const key = parseIncidentKey(value);
  if (key?.kind === 'host') return [key.name];
  if (key?.kind === 'db') return config.hosts.filter((h) => h.dbName === key.name).map((h) => h.name);
  if (key?.kind === 'jump') return config.hosts.filter((h) => h.ssh?.jump?.name === key.name).map((h) => h.name);
  return [...new Set(value.split(' ').filter(Boolean))].slice(0, 100);
}

/**
 * Runs `silence HOST 1h` for each host as the one who clicked (so the router's approver check
 * applies) and folds the answers into one: the click's response_url is answered once, however
 * many hosts the alert covers.
 */
export async function silenceFromAlert(value: string, caller: Caller, services: CommandServices): Promise<Answer> {
  const hosts = silenceTargets(value, services.config);
  if (!hosts.length) return { kind: 'error', visibility: 'ephemeral', message: 'none of the hosts of this alert is configured any more; nothing was silenced' };
  const results: { host: string; answer: Answer }[] = [];
  for (const host of hosts) {
    results.push({ host, answer: await runCommand(`silence ${host} 1h from the alert button`, caller, services) });
  }
  if (results.length === 1) return results[0]!.answer;
  const done = results.filter((r) => r.answer.kind === 'note').map((r) => r.host);
  const failed = [...new Set(results.flatMap((r) => (r.answer.kind === 'error' ? [r.answer.message] : [])))];
  if (!done.length) return { kind: 'error', visibility: 'ephemeral', message: failed.join('; ') || 'nothing was silenced' };
  const by = caller.source === 'slack' ? `<@${caller.userId}>` : caller.userId;
  const rest = failed.length ? `\nNot silenced: ${failed.join('; ')}` : '';
  return {
    kind: 'note',
    visibility: 'channel',
    text: `🔕 ${done.length} hosts silenced for 1 h by ${by} (from the alert button): ${done.join(', ')}. Incidents are still tracked.${rest}`,
  };
}
