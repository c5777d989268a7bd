// Live incidents and field staff on a map, as data: GeoJSON sources the screens refill from their
// stores, colours by status, size and ring by priority, clusters when zoomed out, a heat map; a case
// under 督办 gets an outer red ring, apart from the point.
import type { ExpressionSpecification, LayerSpecification } from '@maplibre/maplibre-gl-style-spec'
import type * as GeoJSON from 'geojson'
import type { GeoJSONSource, Map } from 'maplibre-gl'
import type { IncidentStatus, StaffPosition } from '../api'
import type { IncidentRow } from '../stores/incidents'
import { fontStacks } from './fonts'

export const statusColours: Record<IncidentStatus, string> = {
  reported: '#ff5c5c',
  accepted: '#ff9f43',
  escalated: '#e056fd',
  dispatched: '#feca57',
  acknowledged: '#48dbfb',
  on_scene: '#2e86de',
  resolved: '#1dd1a1',
  verified: '#10ac84',
  closed: '#6b7f90',
  rejected: '#576574',
  cancelled: '#576574',
}

export const priorityColours: Record<number, string> = { 1: '#ff3838', 2: '#ff9f1a', 3: '#fff200', 4: '#8ea9c0' }

export const staffColour = '#7bed9f'

/** The ring of a case under 督办 (the console's 「督」 is the same red). */
export const supervisedColour = '#ff3838'

const statusColour = ['match', ['get', 'status'], ...Object.entries(statusColours).flat(), '#cccccc'] as unknown as ExpressionSpecification

export function incidentFeatures(rows: readonly IncidentRow[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: rows.map((row) => ({
      type: 'Feature',
      id: row.id,
      geometry: { type: 'Point', coordinates: [row.lon, row.lat] },
      properties: { id: row.id, status: row.status, priority: row.priority, category: row.categoryName, supervised: row.supervised === true },
    })),
  }
}

/** People who have reported a position (a phone on duty); the rest sit at their service points and say nothing. */
export function staffFeatures(rows: readonly Readonly<StaffPosition>[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: rows.filter((row) => row.at).map((row) => ({
      type: 'Feature',
      id: row.staffId,
      geometry: { type: 'Point', coordinates: [row.lon, row.lat] },
      properties: { id: row.staffId, name: row.name, kind: row.kind, status: row.status },
    })),
  }
}

const empty: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] }

export interface IncidentLayerOptions {
  /** Group nearby incidents into counted circles below zoom 12. */
  cluster: boolean
}

export const incidentLayerIds = {
  cluster: 'incident-cluster', clusterCount: 'incident-cluster-count', point: 'incident-point', supervised: 'incident-supervised', heat: 'incident-heat', staff: 'staff-point',
}

/** The point's radius by zoom and priority; the 督办 ring sits a few pixels outside it. */
const pointRadius = (extra: number): ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], 8, ['-', 8 + extra, ['get', 'priority']], 15, ['-', 13 + extra, ['get', 'priority']]]

/** Adds the sources and layers (call once the style has loaded). */
export function addIncidentLayers(map: Map, { cluster }: IncidentLayerOptions): void {
  // Clusters count their urgent members, so a cluster holding a priority-1 incident shows it.
  map.addSource('incidents', {
    type: 'geojson',
    data: empty,
    cluster,
    clusterMaxZoom: 10,
    clusterRadius: 30,
    clusterProperties: { urgent: ['+', ['case', ['<=', ['get', 'priority'], 1], 1, 0]] },
  })
  // The heat map has its own unclustered copy: clusters would weigh a whole district as one point.
  map.addSource('incidents-heat', { type: 'geojson', data: empty })
  map.addSource('staff', { type: 'geojson', data: empty })
  const layers: LayerSpecification[] = [
    {
      id: incidentLayerIds.heat,
      type: 'heatmap',
      source: 'incidents-heat',
      layout: { visibility: 'none' },
      paint: {
        'heatmap-weight': ['interpolate', ['linear'], ['get', 'priority'], 1, 1, 4, 0.3],
        'heatmap-intensity': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 14, 2],
        'heatmap-radius': ['interpolate', ['linear'], ['zoom'], 8, 14, 14, 30],
        'heatmap-opacity': 0.8,
      },
    },
    {
      id: incidentLayerIds.staff,
      type: 'circle',
      source: 'staff',
      paint: {
        'circle-color': ['match', ['get', 'status'], 'busy', '#ffb142', staffColour],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 2.5, 15, 6],
        'circle-stroke-color': '#04101b',
        'circle-stroke-width': 1,
        'circle-opacity': 0.9,
      },
    },
    {
      id: incidentLayerIds.cluster,
      type: 'circle',
      source: 'incidents',
      filter: ['has', 'point_count'],
      paint: {
        'circle-color': ['step', ['get', 'point_count'], '#2e86de', 10, '#ff9f43', 50, '#ff5c5c'],
        'circle-radius': ['step', ['get', 'point_count'], 14, 10, 19, 50, 25],
        'circle-opacity': 0.82,
        'circle-stroke-color': ['case', ['>', ['get', 'urgent'], 0], priorityColours[1]!, 'rgba(255,255,255,0.55)'],
        'circle-stroke-width': ['case', ['>', ['get', 'urgent'], 0], 3, 2],
      },
    },
    {
      id: incidentLayerIds.clusterCount,
      type: 'symbol',
      source: 'incidents',
      filter: ['has', 'point_count'],
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': fontStacks.bold, 'text-size': 13, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' },
    },
    {
      id: incidentLayerIds.supervised,
      type: 'circle',
      source: 'incidents',
      filter: ['all', ['!', ['has', 'point_count']], ['==', ['get', 'supervised'], true]],
      paint: {
        'circle-radius': pointRadius(5),
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': supervisedColour,
        'circle-stroke-width': 2,
      },
    },
    {
      id: incidentLayerIds.point,
      type: 'circle',
      source: 'incidents',
      filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': statusColour,
        'circle-radius': pointRadius(0),
        'circle-stroke-color': ['match', ['get', 'priority'], 1, priorityColours[1]!, 2, priorityColours[2]!, '#04101b'],
        'circle-stroke-width': ['match', ['get', 'priority'], 1, 3, 2, 2, 1],
      },
    },
  ]
  for (const layer of layers) map.addLayer(layer)
}

export function setIncidents(map: Map, rows: readonly IncidentRow[]): void {
  const data = incidentFeatures(rows)
  ;(map.getSource('incidents') as GeoJSONSource | undefined)?.setData(data)
  if (map.getLayoutProperty(incidentLayerIds.heat, 'visibility') === 'visible')
    (map.getSource('incidents-heat') as GeoJSONSource | undefined)?.setData(data)
}

export function setStaff(map: Map, rows: readonly Readonly<StaffPosition>[]): void {
  ;(map.getSource('staff') as GeoJSONSource | undefined)?.setData(staffFeatures(rows))
}

export function showHeat(map: Map, on: boolean, rows: readonly IncidentRow[]): void {
  map.setLayoutProperty(incidentLayerIds.heat, 'visibility', on ? 'visible' : 'none')
  ;(map.getSource('incidents-heat') as GeoJSONSource | undefined)?.setData(on ? incidentFeatures(rows) : empty)
}
