import { describe, expect, it } from 'vitest'
import { beijingToday, formatRate } from './followUps'

describe('formatRate', () => {
  it('is a percentage with one decimal, a dash when nobody was reached', () => {
    expect(formatRate(2 / 3)).toBe('66.7%')
    expect(formatRate(1)).toBe('100.0%')
    expect(formatRate(0)).toBe('0.0%')
    expect(formatRate(null)).toBe('—')
  })
})

describe('beijingToday', () => {
  it('is the Beijing date, already the next day from 16:00 UTC', () => {
    expect(beijingToday(new Date('2026-12-07T15:59:00Z'))).toBe('2026-12-07')
    expect(beijingToday(new Date('2026-12-07T16:00:00Z'))).toBe('2026-12-08')
  })
})
