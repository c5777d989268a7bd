import { describe, expect, it } from 'vitest'
import type { GridCollection } from '../api'
import { regionBounds } from './regionBounds'

function grid(code: string, [x, y]: [number, number]): GridCollection['features'][number] {
  return {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] },
    properties: { code, name: code, villageCode: code.slice(0, 12), townshipCode: code.slice(0, 9), districtCode: code.slice(0, 6) },
  }
}

function near(actual: number[] | null, expected: number[]): void {
  expect(actual).toHaveLength(4)
  expected.forEach((value, i) => expect(actual![i]).toBeCloseTo(value, 9))
}

describe('region bounds', () => {
  const grids: GridCollection = {
    type: 'FeatureCollection',
    features: [grid('410611004005001', [114.2, 35.7]), grid('410611004006001', [114.3, 35.8]), grid('410602001001001', [114.1, 35.9])],
  }

  it('spans the grids of a village, a township or a district', () => {
    near(regionBounds(grids, '410611004005'), [114.2, 35.7, 114.21, 35.71])
    near(regionBounds(grids, '410611004'), [114.2, 35.7, 114.31, 35.81])
    near(regionBounds(grids, '410611'), [114.2, 35.7, 114.31, 35.81])
  })

  it('is null for a region without grids', () => {
    expect(regionBounds(grids, '410621')).toBeNull()
  })
})
