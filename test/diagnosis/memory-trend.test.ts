import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rssTrend } from '../../src/diagnosis/memory-trend.js';

const MIN = 60_000;
const series = (mbAt: (i: number) => number, count: number, stepMin = 1) =>
  Array.from({ length: count }, (_, i) => ({ at: i * stepMin * MIN, rssKb: mbAt(i) * 1024 }));

describe('rssTrend', () => {
  it('a steady leak of 2 MB/min is 120 MB/h', () => {
    const s = series((i) => 200 + 2 * i, 31);
    const t = rssTrend(s, 30 * MIN, 30 * MIN);
    assert.ok(t && Math.abs(t.mbPerHour - 120) < 0.01, JSON.stringify(t));
  });
  it('flat memory is no trend', () => {
    assert.equal(
      rssTrend(
        series(() => 300, 31),
        30 * MIN,
        30 * MIN,
      )?.mbPerHour,
      0,
    );
  });
  it('a GC sawtooth is not a leak (poor fit)', () => {
    const t = rssTrend(
      series((i) => 300 + (i % 2 ? 40 : 0) + (i === 30 ? 5 : 0), 31),
      30 * MIN,
      30 * MIN,
    );
    assert.equal(t?.mbPerHour, 0);
  });
  it('too few samples or too short a span gives no verdict', () => {
    assert.equal(
      rssTrend(
        series((i) => 200 + 10 * i, 3),
        2 * MIN,
        30 * MIN,
      ),
      null,
    );
    assert.equal(
      rssTrend(
        series((i) => 200 + 10 * i, 10),
        9 * MIN,
        30 * MIN,
      ),
      null,
    );
  });
  it('samples older than the window are ignored', () => {
    const old = series((i) => 1000 - i, 60); // falling for an hour…
    const recent = series((i) => 500 + i, 31).map((s) => ({ ...s, at: s.at + 60 * MIN })); // …then rising 60 MB/h
    const t = rssTrend([...old, ...recent], 90 * MIN, 30 * MIN);
    assert.ok(t && Math.abs(t.mbPerHour - 60) < 0.01);
  });
});
