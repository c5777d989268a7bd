// An alert's area on a map, as data: its grids lit from the grid tiles by feature state (the tiles
// carry grids from zoom 10), and the outline of the area from the alert's CAP document (the convex
// hull of its grids, drawn at every zoom). Colours by level, 蓝/黄/橙/红.
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import type * as GeoJSON from 'geojson'
import type { GeoJSONSource, LngLatBoundsLike, Map } from 'maplibre-gl'
import type { AlertLevel } from '../api'

export const levelColours: Record<AlertLevel, string> = {
  blue: '#3d8bfd',
  yellow: '#f5c518',
  orange: '#ff8c1a',
  red: '#ff3b3b',
}

export interface AlertArea {
  level: AlertLevel
  gridCodes: readonly string[]
  /** The CAP area; null until it has arrived (or when it could not be read). */
  hull: GeoJSON.Polygon | null
}

export const alertLayerIds = { gridFill: 'alert-grid-fill', gridLine: 'alert-grid-line', hull: 'alert-hull' }

const gridLevel: ExpressionSpecification = ['coalesce', ['feature-state', 'alert'], 'none']
const byLevel = (level: ExpressionSpecification, fallback: string): ExpressionSpecification =>
  ['match', level, ...Object.entries(levelColours).flat(), fallback] as unknown as ExpressionSpecification

export function alertLayers(): LayerSpecification[] {
  return [
    {
      id: alertLayerIds.gridFill,
      type: 'fill',
      source: 'grids',
      'source-layer': 'grids',
      minzoom: 10,
      paint: { 'fill-color': byLevel(gridLevel, '#000000'), 'fill-opacity': ['case', ['==', gridLevel, 'none'], 0, 0.3] },
    },
    {
      id: alertLayerIds.gridLine,
      type: 'line',
      source: 'grids',
      'source-layer': 'grids',
      minzoom: 10,
      paint: { 'line-color': byLevel(gridLevel, '#000000'), 'line-width': 1.5, 'line-opacity': ['case', ['==', gridLevel, 'none'], 0, 0.9] },
    },
    {
      id: alertLayerIds.hull,
      type: 'line',
      source: 'alert-area',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': byLevel(['get', 'level'], '#ffffff'), 'line-width': 2.5, 'line-dasharray': [3, 2] },
    },
  ]
}

/** Adds the source and layers (once the style has loaded), below `before` if given. */
export function addAlertLayers(map: Map, before?: string): void {
  map.addSource('alert-area', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
  for (const layer of alertLayers()) map.addLayer(layer, before)
}

/** The grids each map has lit, to put out when another alert (or none) is shown. */
const lit = new WeakMap<Map, readonly string[]>()

/** Shows one alert's area (or none); returns the area's bounds to fit, when known. */
export function showAlertArea(map: Map, area: AlertArea | null): LngLatBoundsLike | null {
  for (const code of lit.get(map) ?? []) map.removeFeatureState({ source: 'grids', sourceLayer: 'grids', id: code }, 'alert')
  for (const code of area?.gridCodes ?? []) map.setFeatureState({ source: 'grids', sourceLayer: 'grids', id: code }, { alert: area!.level })
  lit.set(map, area?.gridCodes ?? [])
  const features: GeoJSON.Feature[] = area?.hull ? [{ type: 'Feature', geometry: area.hull, properties: { level: area.level } }] : []
  ;(map.getSource('alert-area') as GeoJSONSource | undefined)?.setData({ type: 'FeatureCollection', features })
  return area?.hull ? bounds(area.hull) : null
}

function bounds(polygon: GeoJSON.Polygon): LngLatBoundsLike {
  const ring = polygon.coordinates[0] ?? []
  const lons = ring.map((p) => p[0]!)
  const lats = ring.map((p) => p[1]!)
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)]
}

const capNamespace = 'urn:oasis:names:tc:emergency:cap:1.2'

/** The first area polygon of a CAP 1.2 document ("lat,lon lat,lon …", closed) as GeoJSON; null without one. */
export function capPolygon(xml: string): GeoJSON.Polygon | null {
  const document = new DOMParser().parseFromString(xml, 'application/xml')
  const text = document.getElementsByTagNameNS(capNamespace, 'polygon')[0]?.textContent?.trim()
  if (!text) return null
  const ring = text.split(/\s+/).map((pair) => {
    const [lat, lon] = pair.split(',').map(Number)
    return [lon!, lat!]
  })
  if (ring.length < 4 || ring.some(([lon, lat]) => !Number.isFinite(lon) || !Number.isFinite(lat))) return null
  return { type: 'Polygon', coordinates: [ring] }
}
