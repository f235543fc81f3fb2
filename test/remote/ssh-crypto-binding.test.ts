import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { it } from 'node:test';

/*
 * ssh2's AES-GCM binding is optional: when its build fails at install, ssh2 falls back to
 * JavaScript crypto without a word, and every SSH packet costs three socket writes and a new
 * cipher object instead of one in-place encryption (~17 % more bot CPU per check, measured with
 * bench/fleet-netem.ts). scripts/npm-install.sh points node-gyp at this Node's own headers so the
 * build needs no download; this test is what notices when it did not happen.
 */
it('ssh2 encrypts in its native binding, not the JavaScript fallback', () => {
  const require = createRequire(import.meta.url);
  const { bindingAvailable } = require('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean };
  assert.equal(
    bindingAvailable,
    true,
    'ssh2 has no crypto binding: rm -rf node_modules && bash scripts/npm-install.sh (needs g++, make and the headers in <node prefix>/include/node)',
  );
});
