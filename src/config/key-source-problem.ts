/** The fields of a host's `ssh:` that say how the bot authenticates: exactly one is given. */
export const KEY_SOURCES = ['privateKeyPath', 'privateKeyEnv', 'agent'] as const;

interface KeyFields {
  privateKeyPath?: string | undefined;
  privateKeyEnv?: string | undefined;
  agent?: boolean | undefined;
  privateKeyPassphraseEnv?: string | undefined;
}

/**
 * What is wrong with how an `ssh:` section authenticates, as the field to name and the message;
 * undefined when exactly one of privateKeyPath, privateKeyEnv or `agent: true` is given (and a
 * passphrase only with a key the bot reads itself: the agent holds its keys decrypted).
 */
export function keySourceProblem(ssh: KeyFields): { field: string; message: string } | undefined {
  const given = KEY_SOURCES.filter((k) => (k === 'agent' ? ssh.agent === true : ssh[k] !== undefined));
  if (given.length !== 1) {
    const which = given.length ? ` (this host has ${given.join(' and ')})` : '';
    return { field: given[0] ?? 'privateKeyPath', message: `give exactly one of privateKeyPath, privateKeyEnv or agent: true${which}` };
  }
  if (given[0] === 'agent' && ssh.privateKeyPassphraseEnv !== undefined)
    return {
      field: 'privateKeyPassphraseEnv',
      message: 'only for a key the bot reads (privateKeyPath or privateKeyEnv): the agent holds its keys decrypted — remove it',
    };
  return undefined;
}
