import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDuration } from '../../src/config/duration.js';

describe('parseDuration', () => {
  const table: [string, number | undefined][] = [
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    [' 2s ', 2000],
    ['60', undefined],
    ['5 minutes', undefined],
    ['-1s', undefined],
    ['', undefined],
  ];
  for (const [input, expected] of table) it(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(parseDuration(input), expected));
});

describe('formatDuration', () => {
  const table: [number, string][] = [
    [12, '12 ms'],
    [400, '400 ms'],
    [1500, '1.5 s'],
    [42_000, '42 s'],
    [15 * 60_000, '15 min'],
    [(3 * 24 + 4) * 3_600_000, '3 d 4 h'],
  ];
  for (const [ms, expected] of table) it(`${ms} → ${expected}`, () => assert.equal(formatDuration(ms), expected));
});
