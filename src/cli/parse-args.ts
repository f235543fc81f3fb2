import { CHECK_IDS, type CheckId } from '../checks/check-types.js';
import { OpsError } from '../errors.js';

export type CliCommand =
  | { kind: 'status'; host: string | undefined }
  | { kind: 'check'; check: CheckId; host: string | undefined }
  | { kind: 'hosts' }
  | { kind: 'doctor'; host: string | undefined }
  | { kind: 'scan'; target: string; jump: string | undefined }
  | { kind: 'help' };

export interface CliArgs {
  readonly command: CliCommand;
  readonly json: boolean;
  readonly config: string | undefined;
  /** Show the bot's own log lines (JSON, on stderr); otherwise a person sees only the answer. */
  readonly verbose: boolean;
}

/** argv (after the program name) → what to do. Throws OpsError('USAGE') with the reason. */
export function parseArgs(argv: readonly string[]): CliArgs {
  let json = false;
  let config: string | undefined;
  let help = false;
  let verbose = false;
  let jump: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json') json = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--verbose' || a === '-v') verbose = true;
    else if (a === '--config' || a === '-c') {
      config = argv[++i];
      if (!config) throw new OpsError('USAGE', '--config needs a path');
    } else if (a.startsWith('--config=')) config = a.slice('--config='.length);
    else if (a === '--jump' || a.startsWith('--jump=')) jump = a === '--jump' ? (argv[++i] ?? '') : a.slice('--jump='.length);
    else if (a.startsWith('-')) throw new OpsError('USAGE', `unknown option ${a}`);
    else words.push(a);
  }
  if (help || words.length === 0) return { command: { kind: 'help' }, json, config, verbose };
  const [verb, ...rest] = words;
  // --jump belongs to scan only: anywhere else it is refused, never silently ignored.
  if (jump !== undefined && verb !== 'scan') throw new OpsError('USAGE', 'unknown option --jump');
  if (jump === '') throw new OpsError('USAGE', '--jump needs the name of a jumpHosts entry');
  const tooMany = (max: number): void => {
    if (rest.length > max) throw new OpsError('USAGE', `too many arguments for ${verb}: ${rest.slice(max).join(' ')}`);
  };
  switch (verb) {
    case 'status':
      tooMany(1);
      return { command: { kind: 'status', host: rest[0] }, json, config, verbose };
    case 'check': {
      tooMany(2);
      const id = rest[0];
      if (!id || !(CHECK_IDS as readonly string[]).includes(id)) throw new OpsError('USAGE', `check needs one of: ${CHECK_IDS.join(', ')}`);
      return { command: { kind: 'check', check: id as CheckId, host: rest[1] }, json, config, verbose };
    }
    case 'hosts':
      tooMany(0);
      return { command: { kind: 'hosts' }, json, config, verbose };
    case 'doctor':
      tooMany(1);
      return { command: { kind: 'doctor', host: rest[0] }, json, config, verbose };
    case 'scan':
      tooMany(1);
      if (!rest[0]) throw new OpsError('USAGE', 'scan needs HOST[:PORT]');
      return { command: { kind: 'scan', target: rest[0], jump }, json, config, verbose };
    case 'help':
      return { command: { kind: 'help' }, json, config, verbose };
    default:
      throw new OpsError('USAGE', `unknown command "${verb}"`);
  }
}

export const USAGE = `moneymind — the MoneyMind runbook's checks, from the terminal

usage:
  moneymind status [HOST|all] [--json]     every check on a host (default: all hosts), with diagnosis
  moneymind check <${CHECK_IDS.join('|')}> [HOST] [--json]
                                           one area of the runbook
  moneymind hosts [--json]                 the configured hosts
  moneymind doctor [HOST|all]              check the setup on a host (SSH, sudoers, logs, /health,
                                           MySQL grants): ✓/✗/? per item, with the fix for each miss
  moneymind scan HOST[:PORT] [--jump NAME]  the SSH host keys a server offers and a config stanza;
                                           verify them on the host before trusting them
  moneymind --help

options:
  --config PATH   config file (default: $MONEYMIND_CONFIG, then ./moneymind.yml;
                  with neither, one local host with the runbook's defaults)
  --json          machine-readable output
  --verbose       also print the bot's own log lines (JSON, on stderr; or LOG_LEVEL=info)

exit codes: 0 all healthy · 1 something unhealthy · 2 usage or config error`;
