// Where a region lies, for a map to open on: its bounding box, as GET /api/regions/{code} gives it.
import type { LngLatBoundsLike } from 'maplibre-gl'
import { getRegion } from '../api'

/** The region's [minLon, minLat, maxLon, maxLat]; null when it cannot be had (the map then keeps the city's view). */
export async function fetchRegionBounds(code: string): Promise<LngLatBoundsLike | null> {
  try {
    return (await getRegion(code)).bbox
  } catch {
    return null
  }
}
