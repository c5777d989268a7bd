import { locate, type LocateResult } from '../../api'
import { regionName } from '../../regions'

/** What the popup shows about a grid; names arrive after the codes. */
export interface GridDetails {
  code: string
  name: string
  villageCode: string
  townshipCode: string
  districtCode: string
}

export interface RegionNames {
  village: string
  township: string
  district: string
}

export async function loadRegionNames(grid: GridDetails): Promise<RegionNames> {
  const [village, township, district] = await Promise.all(
    [grid.villageCode, grid.townshipCode, grid.districtCode].map(regionName),
  )
  return { village: village!, township: township!, district: district! }
}

/**
 * The grid a click picked, from its tile properties. Should a tile lack the parent codes, the
 * server's point-in-polygon answer for the clicked point stands in for them.
 */
export async function gridFromFeature(
  properties: Record<string, unknown>,
  lngLat: { lng: number; lat: number },
): Promise<GridDetails> {
  // Codes are strings in the contract; a tile writer may still have stored them as numbers.
  const text = (key: string) => {
    const value = properties[key]
    return typeof value === 'string' || typeof value === 'number' ? String(value) : ''
  }
  let located: LocateResult | undefined
  if (!text('villageCode') || !text('townshipCode') || !text('districtCode')) {
    located = await locate(lngLat.lng, lngLat.lat)
  }
  return {
    code: text('code') || located?.gridCode || '',
    name: text('name'),
    villageCode: text('villageCode') || located?.villageCode || '',
    townshipCode: text('townshipCode') || located?.townshipCode || '',
    districtCode: text('districtCode') || located?.districtCode || '',
  }
}
