import { Resvg } from '@resvg/resvg-js';
import { fileURLToPath } from 'node:url';

/** The one font charts use, shipped with the bot (assets/fonts, with its licence): no system fonts needed. */
export const CHART_FONT_FILE = fileURLToPath(new URL('../../assets/fonts/DejaVuSans.ttf', import.meta.url));

/**
 * SVG → PNG with resvg (Rust, a prebuilt napi binary per platform from the npm registry; no
 * browser, no system libraries). System fonts are not loaded: a slim container has none, and a
 * chart should not change with the machine it was drawn on.
 */
export function renderPng(svg: string): Buffer {
  const r = new Resvg(svg, {
    font: { fontFiles: [CHART_FONT_FILE], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return r.render().asPng();
}
