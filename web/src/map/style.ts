import type { LayerSpecification, StyleSpecification } from '@maplibre/maplibre-gl-style-spec'
import { fontFaces } from './fonts'
import { layers, sources } from './layers'

export interface StyleOptions {
  /** The page's own origin: every tile and font URL is built on it, and nothing else is fetched. */
  origin: string
  /** An XYZ raster URL template for a base map under our layers; none by default. */
  basemapUrl?: string
  basemapAttribution?: string
}

/**
 * The full style. No `glyphs` and no `sprite`: labels are drawn in the browser (see fonts.ts) and
 * points are circles, so the map needs nothing beyond our tiles and two bundled font files.
 */
export function buildStyle({ origin, basemapUrl, basemapAttribution }: StyleOptions): StyleSpecification {
  const style: StyleSpecification = {
    version: 8,
    name: 'dispatch-home',
    sources: sources(origin),
    layers: layers(),
    'font-faces': fontFaces(origin),
  }
  if (basemapUrl) {
    style.sources.basemap = {
      type: 'raster',
      tiles: [basemapUrl],
      tileSize: 256,
      ...(basemapAttribution ? { attribution: basemapAttribution } : {}),
    }
    const basemap: LayerSpecification = {
      id: 'basemap',
      type: 'raster',
      source: 'basemap',
      paint: { 'raster-opacity': 0.55, 'raster-saturation': -0.6 },
    }
    // Just above the background colour, under every boundary.
    style.layers.splice(1, 0, basemap)
  }
  return style
}
