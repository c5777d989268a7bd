import { describe, expect, it } from 'vitest'
import { localDate, visitUrgency } from './mediation'

describe('visitUrgency', () => {
  it('is over before today, today on the day, ahead after', () => {
    expect(visitUrgency('2026-12-06', '2026-12-07')).toBe('over')
    expect(visitUrgency('2026-12-07', '2026-12-07')).toBe('today')
    expect(visitUrgency('2027-01-01', '2026-12-31')).toBe('ahead')
  })
})

describe('localDate', () => {
  it('writes the local calendar day with zero padding', () => {
    expect(localDate(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05')
  })
})
