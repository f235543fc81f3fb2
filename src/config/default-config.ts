/**
 * With no config file the bot watches the machine it runs on with the runbook's defaults
 * (Waitress on 5070, systemd unit `moneymind`), so a fresh clone runs at once and reports
 * honestly what it finds there.
 */
export function defaultConfigDocument(): unknown {
  return { hosts: [{ name: 'local', transport: 'local' }] };
}
