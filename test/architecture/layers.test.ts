import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { folderRules, layerViolations } from '../support/layers.js';

/*
 * Every src/ folder says in its README what it may import ("May import: `config/types`, …"); this
 * holds the code to it, so wiring in disguise (a core module importing ten layers) fails here.
 */
const root = join(import.meta.dirname, '..', '..');

describe('layers: every import is allowed by its folder README', () => {
  it('every src/ folder has a May import line', () => {
    assert.ok(folderRules(root).length >= 10);
  });
  it('no import breaks one', () => {
    assert.deepEqual(layerViolations(root), []);
  });
  it('the checker bites: an import the README does not allow is named, with the fix', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mm-layers-'));
    try {
      mkdirSync(join(tmp, 'src', 'core'), { recursive: true });
      mkdirSync(join(tmp, 'src', 'adapter'), { recursive: true });
      writeFileSync(join(tmp, 'src', 'core', 'README.md'), '# core/\nMay import: `errors`, `node:path`.\n');
      writeFileSync(join(tmp, 'src', 'adapter', 'README.md'), '# adapter/\nMay import: `core`.\n');
      writeFileSync(
        join(tmp, 'src', 'core', 'a.ts'),
        "import { x } from '../adapter/b.js';\nimport { z } from 'zod';\n" +
          "import type { Logger } from 'pino';\nimport { join } from 'node:path';\nimport { e } from '../errors.js';\n",
      );
      writeFileSync(join(tmp, 'src', 'adapter', 'b.ts'), "import { a } from '../core/a.js';\n");
      const found = layerViolations(tmp);
      assert.equal(found.length, 2, found.join('\n'));
      assert.match(found[0]!, /src\/core\/a\.ts imports src\/adapter\/b: not allowed by src\/core\/README\.md \(add `adapter\/b`/);
      assert.match(found[1]!, /src\/core\/a\.ts imports zod/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
