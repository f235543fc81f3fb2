import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { incidentKey, parseIncidentKey } from '../../src/domain/incident-key.js';

/*
 * The key's text is what the store holds and what posted alerts' [Silence 1h] buttons carry:
 * it must read back exactly, and anything else (an older button's host list) must not parse.
 */
describe('incident keys', () => {
  it('are the text the store and old alerts already hold, and read back to the same incident', () => {
    assert.equal(incidentKey({ kind: 'host', name: 'prod-1', cause: 'service-down' }), 'host:prod-1|service-down');
    assert.equal(incidentKey({ kind: 'db', name: 'main', cause: 'db-unreachable' }), 'db:main|db-unreachable');
    for (const ref of [
      { kind: 'host', name: 'a-40-character-host-name-0123456789abcd', cause: 'app-unhealthy' },
      { kind: 'db', name: 'main', cause: 'db-unreachable' },
    ] as const) {
      assert.deepEqual(parseIncidentKey(incidentKey(ref)), ref);
    }
  });

  it('anything else is not a key', () => {
    for (const text of ['prod-1 prod-2', 'host:prod-1', 'host:Prod-1|service-down', 'vm:prod-1|service-down', 'host:prod 1|service-down', '']) {
      assert.equal(parseIncidentKey(text), undefined, text);
    }
  });
});
