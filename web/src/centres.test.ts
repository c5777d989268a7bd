import { describe, expect, it } from 'vitest'
import { above, standing } from './centres'

describe('centres', () => {
  const village = '410611004005'
  const township = '410611004'

  it('puts a prefix and the city above a centre, never the centre itself', () => {
    expect(above(township, village)).toBe(true)
    expect(above('410611', village)).toBe(true)
    expect(above('410600', '410611')).toBe(true)
    expect(above(village, village)).toBe(false)
    expect(above(village, township)).toBe(false)
    expect(above('410602', village)).toBe(false)
  })

  it('tells a centre where it stands to a case', () => {
    expect(standing(village, village)).toBe('responsible')
    expect(standing(township, village)).toBe('above')
    expect(standing('410600', village)).toBe('above')
    expect(standing(village, township)).toBe('below')
    expect(standing(village, '410600')).toBe('below')
    expect(standing('410611004006', village)).toBe('apart')
    expect(standing(undefined, village)).toBe('apart')
  })
})
