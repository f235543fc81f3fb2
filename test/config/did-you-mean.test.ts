import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didYouMean } from '../../src/config/did-you-mean.js';
import { fileSchema } from '../../src/config/schema.js';
import { schemaKeysAt } from '../../src/config/schema-keys-at.js';

const SSH = schemaKeysAt(fileSchema, ['hosts', 0, 'ssh']);
const THRESHOLDS = schemaKeysAt(fileSchema, ['thresholds']);
const TOP = schemaKeysAt(fileSchema, []);

describe('didYouMean', () => {
  const table: [string, readonly string[], string | undefined][] = [
    ['usrname', SSH, 'username'],
    ['hostkey', SSH, 'hostKey'],
    ['prot', SSH, 'port'],
    ['privateKeyPth', SSH, 'privateKeyPath'],
    ['privateKey', SSH, undefined],
    ['password', SSH, undefined],
    ['diskUsedPercnt', THRESHOLDS, 'diskUsedPercent'],
    ['helthTimeout', THRESHOLDS, 'healthTimeout'],
    ['threshold', TOP, 'thresholds'],
    ['host', TOP, 'hosts'],
    ['sql', ['app', 'ssh', 'mysql', 'name'], undefined],
    ['ap', ['app', 'ssh', 'mysql', 'name'], 'app'],
    ['x', ['app', 'ssh'], undefined],
  ];
  for (const [word, keys, expected] of table) it(`${word} → ${expected}`, () => assert.equal(didYouMean(word, keys), expected));
});

// A host's ssh fields, which a jump host shares (it has a name instead of a jumpHost).
const SSH_FIELDS = [
  'host',
  'port',
  'username',
  'privateKeyPath',
  'privateKeyEnv',
  'privateKeyPassphraseEnv',
  'agent',
  'hostKey',
  'knownHostsPath',
  'readyTimeout',
  'keepaliveInterval',
  'maxChannels',
];

describe('schemaKeysAt', () => {
  const table: [readonly PropertyKey[], string[]][] = [
    [[], ['defaults', 'jumpHosts', 'hosts', 'thresholds', 'slack', 'watch', 'restart', 'pagerduty', 'webhooks']],
    [
      ['jumpHosts', 0],
      ['name', ...SSH_FIELDS],
    ],
    [
      ['defaults', 'app'],
      ['healthUrl', 'port', 'service', 'manager', 'supervisorConfig', 'logFile', 'processMatch', 'poolRecycle'],
    ],
    [
      ['hosts', 3, 'mysql'],
      ['host', 'port', 'user', 'passwordEnv', 'connectTimeout', 'name'],
    ],
    [
      ['slack', 'rateLimit'],
      ['max', 'window'],
    ],
    [['hosts', 0, 'name'], []],
    [['nope', 'deeper'], []],
  ];
  for (const [path, expected] of table) it(JSON.stringify(path), () => assert.deepEqual(schemaKeysAt(fileSchema, path), expected));
  it('hosts[].ssh: the ssh section, through .optional()', () => assert.deepEqual(SSH, [...SSH_FIELDS, 'jumpHost']));
});
