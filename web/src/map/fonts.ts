// How map labels get their glyphs, without a glyph server and without any request off our origin.
//
// MapLibre's classic path loads signed-distance-field PBFs for every character not drawn locally
// from the style's `glyphs` URL; a missing range is a console error and a missing label. MapLibre
// GL 6 no longer needs one: a style with no `glyphs` draws every glyph in the browser (TinySDF on
// a canvas), and the style's `font-faces` may pin a font file, fetched like any other asset, to a
// font name and a Unicode range (see maplibre-gl's src/render/glyph_manager.ts).
// So the style here has no `glyphs` URL, and:
//  - digits, Latin letters and Western punctuation (codes, "第1网格") are drawn from Noto Sans,
//    whose woff2 files ship in the npm package @fontsource/noto-sans and are bundled by Vite into
//    our own /assets: the same shapes on every screen, 13 KB per weight;
//  - Chinese is drawn from the fonts the screen already has (Noto Sans CJK on Debian, Microsoft
//    YaHei on Windows, PingFang on macOS), which MapLibre does anyway for CJK even with a glyph
//    server: CJK glyph PBFs would be megabytes per font.
// Considered and not taken: glyph PBFs under /glyphs/{fontstack}/{range}.pbf, cut at build time
// by fontnik 0.7.7 (it does install here, from a prebuilt linux-x64 addon inside the npm package,
// and cuts ranges from this same font). It would add a native addon to the build and a file per
// range, and every range a label could touch must exist: a 404 is a console error. With
// `font-faces`, a character no file covers is simply drawn from local fonts, with no request.
import notoSansRegularUrl from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url'
import notoSansBoldUrl from '@fontsource/noto-sans/files/noto-sans-latin-700-normal.woff2?url'
import type { FontFacesSpecification } from '@maplibre/maplibre-gl-style-spec'

/** What the Noto Sans "latin" subset covers, as in @fontsource/noto-sans/latin-400.css. */
const latinRange = [
  'U+0000-00FF', 'U+0131', 'U+0152-0153', 'U+02BB-02BC', 'U+02C6', 'U+02DA', 'U+02DC', 'U+0304',
  'U+0308', 'U+0329', 'U+2000-206F', 'U+20AC', 'U+2122', 'U+2191', 'U+2193', 'U+2212', 'U+2215',
  'U+FEFF', 'U+FFFD',
]

/**
 * Local CJK families in order of preference. Without a `glyphs` URL MapLibre uses a label's
 * `text-font` names as a CSS font-family list for whatever no font face covers, so these follow
 * the Noto Sans name in every stack; the bold stack gets weight 700 from its first name.
 */
export const cjkFontFamilies = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC']

export const fontStacks = {
  regular: ['Noto Sans Regular', ...cjkFontFamilies],
  bold: ['Noto Sans Bold', ...cjkFontFamilies],
}

/** The style's `font-faces`; `origin` makes the URLs absolute, as the style expects. */
export function fontFaces(origin: string): FontFacesSpecification {
  const face = (url: string) => [{ url: new URL(url, origin).href, 'unicode-range': latinRange }]
  return {
    'Noto Sans Regular': face(notoSansRegularUrl),
    'Noto Sans Bold': face(notoSansBoldUrl),
  }
}
