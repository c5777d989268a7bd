import { describe, expect, it, vi } from 'vitest'
import type { Region } from './api'

// A city of one district, one township and two villages; each village has one grid.
const tree: Record<string, Omit<Region, 'code' | 'parentCode' | 'bbox'>> = {
  '410600': { name: '鹤壁市', level: 'city', children: [{ code: '410611', name: '淇滨区', level: 'district' }] },
  '410611': { name: '淇滨区', level: 'district', children: [{ code: '410611001', name: '金山街道', level: 'township' }] },
  '410611001': {
    name: '金山街道', level: 'township',
    children: [{ code: '410611001001', name: '城西社区', level: 'village' }, { code: '410611001002', name: '河口村', level: 'village' }],
  },
  '410611001001': { name: '城西社区', level: 'village', children: [{ code: '410611001001001', name: '城西一网格', level: 'grid' }] },
}
const asked: string[] = []
vi.mock('./api', () => ({
  getRegion: async (code: string) => {
    asked.push(code)
    return { code, parentCode: null, bbox: [0, 0, 1, 1], ...tree[code]! }
  },
}))

const { placesWithin } = await import('./regions')

describe('placesWithin', () => {
  it("walks down to a city's villages, naming the township and district they lie in, once", async () => {
    expect(await placesWithin('410600')).toEqual([
      { code: '410611001001', name: '城西社区', within: '淇滨区 金山街道' },
      { code: '410611001002', name: '河口村', within: '淇滨区 金山街道' },
    ])
    await placesWithin('410600')
    expect(asked.filter((code) => code === '410600')).toHaveLength(1)
  })

  it("gives a village's own name and its grids", async () => {
    expect((await placesWithin('410611001001')).map((p) => p.name)).toEqual(['城西社区', '城西一网格'])
  })
})
