// The home map as data: one vector source per concern (regions, grids, service points), a palette,
// and the layer specs drawn from a table of boundary levels, so the legend and the map cannot
// disagree about colours or the zoom at which a level appears.
import type {
  ExpressionSpecification,
  LayerSpecification,
  VectorSourceSpecification,
} from '@maplibre/maplibre-gl-style-spec'
import { fontStacks } from './fonts'

/** Hebi city, [west, south, east, north]. */
export const hebiBounds: [number, number, number, number] = [114.0, 35.44, 114.75, 36.05]

/** Sober dark command-centre colours: boundaries brighten as their level rises. */
export const palette = {
  background: '#071320',
  halo: '#04101b',
  district: '#4cc3f5',
  township: '#3b8fc4',
  village: '#2f6f9c',
  grid: '#2a5878',
  gridFill: '#3b8fc4',
  selected: '#ffd166',
  servicePoint: '#f2b53c',
  labels: {
    district: '#eef8ff',
    township: '#c3dcf0',
    village: '#93b8d6',
    servicePoint: '#f3d9a0',
  },
  /** A faint tint per district, keyed by its statistical code, so neighbours read apart. */
  districtTints: {
    '410602': '#1d4d72', // 鹤山区
    '410603': '#2b466d', // 山城区
    '410611': '#18576a', // 淇滨区
    '410621': '#203f66', // 浚县
    '410622': '#1f5459', // 淇县
    '410671': '#2d5b7a', // 鹤壁经济技术开发区
  } as Record<string, string>,
  districtTintDefault: '#1d4763',
}

export type BoundaryLevel = 'district' | 'township' | 'village' | 'grid'

export interface BoundaryStyle {
  level: BoundaryLevel
  /** The zoom from which the boundary and its labels are drawn. */
  minzoom: number
  color: string
  /** Line width at zoom 8 and at zoom 16; interpolated between. */
  width: [number, number]
  dash?: number[]
}

/** Boundary levels from the top of the region tree down. */
export const boundaryLevels: BoundaryStyle[] = [
  { level: 'district', minzoom: 0, color: palette.district, width: [1.6, 3.2] },
  { level: 'township', minzoom: 9.5, color: palette.township, width: [0.9, 2] },
  { level: 'village', minzoom: 11.5, color: palette.village, width: [0.6, 1.4], dash: [3, 2] },
  { level: 'grid', minzoom: 12.5, color: palette.grid, width: [0.4, 1] },
]

export const servicePointMinzoom = 12.5
const servicePointLabelMinzoom = 14

function levelStyle(level: BoundaryLevel): BoundaryStyle {
  const style = boundaryLevels.find((candidate) => candidate.level === level)
  if (!style) throw new Error(`no style for level ${level}`)
  return style
}

/** Tiles are served for zooms 0–16; 14 is plenty of detail, MapLibre overzooms beyond it. */
export function sources(origin: string): Record<string, VectorSourceSpecification> {
  const vector = (name: string): VectorSourceSpecification => ({
    type: 'vector',
    tiles: [`${origin}/tiles/${name}/{z}/{x}/{y}.mvt`],
    maxzoom: 14,
    bounds: hebiBounds,
  })
  return {
    regions: vector('regions'),
    // `code` becomes the feature id, so a clicked grid can carry `selected` feature state.
    grids: { ...vector('grids'), promoteId: { grids: 'code' } },
    'service-points': vector('service-points'),
  }
}

/** `['match', ['get', 'code'], code, colour, …, fallback]`; TypeScript cannot type the spread. */
function matchCode(colours: Record<string, string>, fallback: string): ExpressionSpecification {
  return ['match', ['get', 'code'], ...Object.entries(colours).flat(), fallback] as unknown as ExpressionSpecification
}

const lineWidth = ({ width: [low, high] }: BoundaryStyle): ExpressionSpecification =>
  ['interpolate', ['exponential', 1.4], ['zoom'], 8, low, 16, high]

const name: ExpressionSpecification = ['var', 'name']
const hasSuffix = (suffix: string): ExpressionSpecification => ['>', ['index-of', suffix, name], 0]
const stem = (suffix: string): ExpressionSpecification => ['slice', name, 0, ['index-of', suffix, name]]
/** "北杨邑" → "北杨邑村", but "东石林村" stays as it is. */
const village = (stem: ExpressionSpecification): ExpressionSpecification => [
  'let', 'stem', stem,
  ['case',
    ['==', ['slice', ['var', 'stem'], ['-', ['length', ['var', 'stem']], 1]], '村'], ['var', 'stem'],
    ['concat', ['var', 'stem'], '村']],
]

/**
 * Names as the map shows them: a committee's legal name is not what anyone calls the place.
 * "XX社区居民委员会" and "XX居民委员会" read "XX社区"; "XX村民委员会", "XX村村民委员会" and "XX村委会"
 * read "XX村". The popup, from the API, keeps the full legal name.
 */
const shortName: ExpressionSpecification = [
  'let', 'name', ['get', 'name'],
  ['case',
    hasSuffix('社区居民委员会'), ['concat', stem('社区居民委员会'), '社区'],
    hasSuffix('居民委员会'), ['concat', stem('居民委员会'), '社区'],
    hasSuffix('村民委员会'), village(stem('村民委员会')),
    hasSuffix('村委会'), village(stem('村委会')),
    name],
]

function regionLine(level: Exclude<BoundaryLevel, 'grid'>): LayerSpecification {
  const style = levelStyle(level)
  return {
    id: `${level}-line`,
    type: 'line',
    source: 'regions',
    'source-layer': 'regions',
    minzoom: style.minzoom,
    filter: ['==', ['get', 'level'], level],
    layout: { 'line-join': 'round', 'line-cap': 'round' },
    paint: {
      'line-color': style.color,
      'line-width': lineWidth(style),
      ...(style.dash ? { 'line-dasharray': style.dash } : {}),
    },
  }
}

const labelSizes: Record<Exclude<BoundaryLevel, 'grid'>, [number, number]> = {
  district: [15, 20],
  township: [12, 15],
  village: [11, 13],
}

function regionLabel(level: Exclude<BoundaryLevel, 'grid'>): LayerSpecification {
  const [low, high] = labelSizes[level]
  return {
    id: `${level}-label`,
    type: 'symbol',
    source: 'regions',
    'source-layer': 'region-labels',
    minzoom: levelStyle(level).minzoom,
    filter: ['==', ['get', 'level'], level],
    layout: {
      'text-field': shortName,
      'text-font': level === 'district' ? fontStacks.bold : fontStacks.regular,
      'text-size': ['interpolate', ['linear'], ['zoom'], 8, low, 16, high],
      'text-max-width': 8,
      'text-padding': 4,
      ...(level === 'district' ? { 'text-letter-spacing': 0.1 } : {}),
    },
    paint: {
      'text-color': palette.labels[level],
      'text-halo-color': palette.halo,
      'text-halo-width': 1.4,
      'text-halo-blur': 0.4,
    },
  }
}

/** Layers bottom to top. Labels come last; MapLibre places the topmost labels first. */
export function layers(): LayerSpecification[] {
  const grid = levelStyle('grid')
  const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false]
  return [
    { id: 'background', type: 'background', paint: { 'background-color': palette.background } },
    {
      id: 'district-fill',
      type: 'fill',
      source: 'regions',
      'source-layer': 'regions',
      filter: ['==', ['get', 'level'], 'district'],
      paint: {
        'fill-color': matchCode(palette.districtTints, palette.districtTintDefault),
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], 8, 0.55, 13, 0.25],
      },
    },
    {
      // Also what a click hits: a grid is picked anywhere inside it, not only on its outline.
      id: 'grid-fill',
      type: 'fill',
      source: 'grids',
      'source-layer': 'grids',
      minzoom: grid.minzoom,
      paint: {
        'fill-color': ['case', selected, palette.selected, palette.gridFill],
        'fill-opacity': ['case', selected, 0.28, 0.05],
      },
    },
    {
      id: 'grid-line',
      type: 'line',
      source: 'grids',
      'source-layer': 'grids',
      minzoom: grid.minzoom,
      paint: { 'line-color': grid.color, 'line-width': lineWidth(grid) },
    },
    regionLine('village'),
    regionLine('township'),
    regionLine('district'),
    {
      // Above the region lines, so a selected grid's outline is not hidden under its village's.
      id: 'grid-selected-line',
      type: 'line',
      source: 'grids',
      'source-layer': 'grids',
      minzoom: grid.minzoom,
      paint: {
        'line-color': palette.selected,
        'line-width': 2.5,
        'line-opacity': ['case', selected, 1, 0],
      },
    },
    {
      id: 'service-point',
      type: 'circle',
      source: 'service-points',
      'source-layer': 'service-points',
      minzoom: servicePointMinzoom,
      paint: {
        'circle-color': palette.servicePoint,
        'circle-radius': ['interpolate', ['linear'], ['zoom'], servicePointMinzoom, 2.5, 16, 6],
        'circle-stroke-color': palette.halo,
        'circle-stroke-width': 1,
      },
    },
    {
      id: 'service-point-label',
      type: 'symbol',
      source: 'service-points',
      'source-layer': 'service-points',
      minzoom: servicePointLabelMinzoom,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': fontStacks.regular,
        'text-size': 11,
        'text-anchor': 'top',
        'text-offset': [0, 0.7],
        'text-max-width': 9,
        'text-optional': true,
      },
      paint: {
        'text-color': palette.labels.servicePoint,
        'text-halo-color': palette.halo,
        'text-halo-width': 1.2,
      },
    },
    regionLabel('village'),
    regionLabel('township'),
    regionLabel('district'),
  ]
}

/** The symbol layers that carry names; the browser test checks that they render. */
export const labelLayerIds = ['district-label', 'township-label', 'village-label', 'service-point-label']

/** Layers a click on the map can select a grid through. */
export const gridHitLayerId = 'grid-fill'
