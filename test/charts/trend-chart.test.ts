import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPng } from '../../src/app/render-png.js';
import { trendChart } from '../../src/charts/trend-chart.js';
import { decodePng, distinctColours, PNG_SIGNATURE } from '../support/png.js';
import { rssLeak, rssOnly } from '../support/rss-leak.js';

const H = 3_600_000;
const now = Date.UTC(2026, 0, 15, 12, 0);
const leak = rssLeak('prod-1', now);
/** Dark pixels in a band of rows: text drawn there (without the shipped font loaded, resvg draws no glyphs). */
function darkIn(png: Uint8Array, y0: number, y1: number, x0: number, x1: number): number {
  const img = decodePng(png);
  const stride = img.width * img.channels;
  let dark = 0;
  for (let y = y0; y < y1; y++) for (let x = x0 * img.channels; x < x1 * img.channels; x += img.channels) if (img.pixels[y * stride + x]! < 128) dark++;
  return dark;
}

describe('trend chart: stored samples → SVG → PNG', () => {
  it('one panel per measured series, the numbers of each in words', () => {
    const c = trendChart('prod-1', leak, now, 6 * H)!;
    assert.match(c.altText, /^prod-1: app RSS 21\d → 3[34]\d MB over 5\.9 h, \+2[01] MB\/h, MemAvailable 11\d\d → 10\d\d MB; /);
    assert.match(c.altText, /; \/health median \d+ ms, max \d+ ms, 0 of 72 failed; DB connections 8–12 of 151; load per core 0\.1\d?–0\.5 \(72 samples\)$/);
    for (const title of ['app RSS (MB)', '/health latency (ms)', 'DB connections', 'load per core', 'MemAvailable (MB, right axis)'])
      assert.ok(c.svg.includes(`>${title}<`), title);
    assert.match(c.svg, /stroke-dasharray/, 'the trend line (and max_connections) are dashed');
    assert.match(c.svg, /font-family="DejaVu Sans"/);
  });

  it('only RSS stored (a host without a database, an older store): one panel, no empty ones', () => {
    const c = trendChart(
      'prod-1',
      leak.map((s) => rssOnly(s.host, s.at, s.rssKb!)),
      now,
      6 * H,
    )!;
    assert.match(c.altText, /^prod-1: app RSS \d+ → \d+ MB over 5\.9 h, \+2[01] MB\/h \(72 samples\)$/);
    assert.ok(!c.svg.includes('DB connections') && !c.svg.includes('load per core'));
  });

  it('a /health that failed is marked, not drawn as a fast answer; a gap breaks the line', () => {
    const broken = leak.map((s, i) => (i >= 30 && i < 40 ? { ...s, healthOk: false, healthMs: null, rssKb: null } : s));
    const c = trendChart('prod-1', broken, now, 6 * H, { panels: ['health', 'memory'] })!;
    assert.match(c.altText, /\/health median \d+ ms, max \d+ ms, 10 of 72 failed/);
    assert.equal((c.svg.match(/>×</g) ?? []).length, 10, 'one mark per failed /health');
    const rssLines = c.svg.match(/<polyline fill="none" stroke="#1f77b4"/g) ?? [];
    assert.equal(rssLines.length, 2, 'the RSS line breaks where it was not measured');
  });

  it('no samples in the window: no chart; too few for a fit: the series without a trend line', () => {
    assert.equal(trendChart('prod-1', [], now, 6 * H), undefined);
    assert.equal(trendChart('prod-1', leak, now - 7 * H, H), undefined);
    const two = trendChart('prod-1', leak.slice(-2), now, 6 * H, { panels: ['memory'] })!;
    assert.match(two.altText, /no trend/);
    assert.doesNotMatch(two.svg, /stroke-dasharray/);
  });

  it("a host name cannot break out of the SVG; alt text stays within Slack's 1000 characters", () => {
    assert.doesNotMatch(trendChart('a<b>&"', leak, now, 6 * H)!.svg, /a<b>/);
    assert.ok(trendChart('x'.repeat(2000), leak, now, 6 * H)!.altText.length <= 1000);
  });

  it('renders to a PNG that decodes: four panels high, many colours, text in the title band', () => {
    const png = renderPng(trendChart('prod-1', leak, now, 6 * H)!.svg);
    assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
    const img = decodePng(png);
    assert.equal(img.width, 900);
    assert.ok(img.height > 700, `height ${img.height}`);
    assert.ok(distinctColours(img) > 20, `only ${distinctColours(img)} colours`);
    const dark = darkIn(png, 10, 34, 70, 400);
    assert.ok(dark > 200, `title band has ${dark} dark pixels`);
  });

  it('the memory-growth chart: the memory panel alone with the projection under the title', () => {
    const c = trendChart('prod-1', leak, now, 6 * H, { panels: ['memory'], headline: 'memory runs out in ≈ 3 h 20 min at +52 MB/h' })!;
    assert.match(c.svg, />memory runs out in ≈ 3 h 20 min at \+52 MB\/h</);
    const img = decodePng(renderPng(c.svg));
    assert.ok(img.height < 500, 'one panel, not four');
    // The headline is drawn in red (#d62728) between the title and the panel: its glyphs are there.
    let red = 0;
    const stride = img.width * img.channels;
    for (let y = 38; y < 58; y++)
      for (let x = 70; x < 500; x++) {
        const i = y * stride + x * img.channels;
        if (img.pixels[i]! > 150 && img.pixels[i + 1]! < 110 && img.pixels[i + 2]! < 110) red++;
      }
    assert.ok(red > 100, `headline band has ${red} red pixels`);
  });
});
