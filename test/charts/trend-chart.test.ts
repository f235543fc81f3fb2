import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPng } from '../../src/app/render-png.js';
import { trendChart } from '../../src/charts/trend-chart.js';
import { decodePng, distinctColours, PNG_SIGNATURE } from '../support/png.js';

const H = 3_600_000;
const now = Date.UTC(2026, 0, 15, 12, 0);
/** A leak as the watcher stores it: one sample per 5-minute cycle, +21 MB/h with GC wobble. */
const leak = Array.from({ length: 72 }, (_, i) => ({ at: now - 6 * H + (i + 1) * 5 * 60_000, rssKb: Math.round((212 + i * 1.75 + 4 * Math.sin(i)) * 1024) }));

describe('trend chart: samples → SVG → PNG', () => {
  it('says the numbers in words: first → last, span, the fitted slope', () => {
    const c = trendChart('prod-1', leak, now, 6 * H)!;
    assert.match(c.altText, /^prod-1: app RSS 21\d → 3[34]\d MB over 5\.9 h, \+2[01] MB\/h \(72 samples\)$/);
    assert.match(c.svg, /stroke-dasharray/, 'the trend line is drawn');
    assert.match(c.svg, /font-family="DejaVu Sans"/);
  });

  it('no samples in the window: no chart; too few for a fit: the series without a trend line', () => {
    assert.equal(trendChart('prod-1', [], now, 6 * H), undefined);
    assert.equal(trendChart('prod-1', leak, now - 7 * H, H), undefined);
    const two = trendChart('prod-1', leak.slice(-2), now, 6 * H)!;
    assert.match(two.altText, /no trend/);
    assert.doesNotMatch(two.svg, /stroke-dasharray/);
  });

  it('a host name cannot break out of the SVG', () => {
    assert.doesNotMatch(trendChart('a<b>&"', leak, now, 6 * H)!.svg, /a<b>/);
  });

  it('renders to a PNG that decodes: signature, IHDR size, and more than one colour (text and lines drawn)', () => {
    const png = renderPng(trendChart('prod-1', leak, now, 6 * H)!.svg);
    assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE));
    const img = decodePng(png);
    assert.equal(img.width, 900);
    assert.equal(img.height, 420);
    assert.ok(distinctColours(img) > 20, `only ${distinctColours(img)} colours`);
    // The title is text: without the shipped font loaded, resvg draws no glyphs and this band stays white.
    const stride = img.width * img.channels;
    let dark = 0;
    for (let y = 10; y < 34; y++) for (let x = 70 * img.channels; x < 400 * img.channels; x += img.channels) if (img.pixels[y * stride + x]! < 128) dark++;
    assert.ok(dark > 200, `title band has ${dark} dark pixels`);
  });
});
