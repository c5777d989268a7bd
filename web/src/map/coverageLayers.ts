// The 走访覆盖 layer as data: one GeoJSON source (GET /api/visits/coverage/map — grids or child
// regions with their figures), filled by coverage band from the feature's own `rate`, so the legend,
// the list and the map read the same thresholds (api.coverageBand).
import type { ExpressionSpecification, GeoJSONSourceSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec'

export const coverageSource = 'visit-coverage'

/** Band colours: red below 40 %, amber to 80 %, green above; grey where nothing is registered. */
export const coveragePalette = { low: '#e5534b', mid: '#e3a008', high: '#2ea043', none: '#6b7280', line: '#cfe6ff' } as const

const fill: ExpressionSpecification = [
  'case',
  ['==', ['get', 'rate'], null], coveragePalette.none,
  ['>=', ['get', 'rate'], 0.8], coveragePalette.high,
  ['>=', ['get', 'rate'], 0.4], coveragePalette.mid,
  coveragePalette.low,
]

export function coverageSourceSpec(url: string): GeoJSONSourceSpecification {
  return { type: 'geojson', data: url }
}

export const coverageLayers: LayerSpecification[] = [
  { id: 'coverage-fill', type: 'fill', source: coverageSource, paint: { 'fill-color': fill, 'fill-opacity': 0.55 } },
  { id: 'coverage-line', type: 'line', source: coverageSource, paint: { 'line-color': coveragePalette.line, 'line-width': 0.8, 'line-opacity': 0.7 } },
]
