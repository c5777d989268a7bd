// Where a region lies, for a map to open on: the bounds of its grids (there is no boundary
// endpoint; the grids tile every region). The grids are fetched once per page and shared.
import type { LngLatBoundsLike } from 'maplibre-gl'
import { getGrids, type GridCollection, type GridProperties } from '../api'

type Bounds = [number, number, number, number]

function inRegion(p: GridProperties, code: string): boolean {
  return p.code === code || p.villageCode === code || p.townshipCode === code || p.districtCode === code
}

/** [minLon, minLat, maxLon, maxLat] over the grids of `code`, or null when none lies in it. One pass over the vertices. */
export function regionBounds(grids: GridCollection, code: string): Bounds | null {
  const b: Bounds = [Infinity, Infinity, -Infinity, -Infinity]
  for (const feature of grids.features) {
    if (!inRegion(feature.properties, code)) continue
    const rings = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates
    for (const polygon of rings)
      for (const [lon, lat] of polygon[0] ?? []) {
        if (lon === undefined || lat === undefined) continue
        b[0] = Math.min(b[0], lon)
        b[1] = Math.min(b[1], lat)
        b[2] = Math.max(b[2], lon)
        b[3] = Math.max(b[3], lat)
      }
  }
  return b[0] <= b[2] ? b : null
}

let grids: Promise<GridCollection> | null = null

/** The bounds of a region's grids; null when they cannot be had (the map then keeps the city's view). */
export async function fetchRegionBounds(code: string): Promise<LngLatBoundsLike | null> {
  grids ??= getGrids()
  try {
    return regionBounds(await grids, code)
  } catch {
    grids = null // asked again next time
    return null
  }
}
