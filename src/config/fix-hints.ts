/**
 * How to fix a config problem, by field path with array indices written as []. Shown after the
 * problem in the single error that lists every problem.
 */
const HINTS: Record<string, string> = {
  'hosts[].ssh.hostKey':
    'run ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host and paste the SHA256:… part, or give knownHostsPath (a known_hosts file) instead',
  'hosts[].ssh.host': 'the address the bot connects to, e.g. 10.0.0.5',
  'hosts[].ssh.username': 'the account the bot logs in as, e.g. ops',
  'hosts[].ssh.privateKeyPath': "point it at the bot's private key file, or use privateKeyEnv: NAME or agent: true (ssh-agent)",
  'hosts[].ssh': 'add ssh: { host, username, privateKeyPath, hostKey } or set transport: local',
  'hosts[].name': 'e.g. prod-1',
  'hosts[].mysql.user': 'the monitoring account, e.g. monitor (see the README for its grants)',
  'hosts[].mysql.passwordEnv': 'name the environment variable that holds the password',
  hosts: 'list at least one host under hosts:',
};

export function fixFor(path: string): string | undefined {
  return HINTS[path.replace(/\[\d+\]/g, '[]')];
}

/** ["hosts", 0, "ssh", "hostKey"] → "hosts[0].ssh.hostKey" */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}
