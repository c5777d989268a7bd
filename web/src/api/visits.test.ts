import { describe, expect, it } from 'vitest'
import { coverageBand, visitCoverageMapUrl } from './visits'

describe('coverageBand', () => {
  it('has the map legend thresholds: 80 % and 40 %, nothing registered apart', () => {
    expect([0.8, 0.79, 0.4, 0.39, 0, 1.2, null].map(coverageBand)).toEqual(['high', 'mid', 'mid', 'low', 'low', 'high', 'none'])
  })
})

describe('visitCoverageMapUrl', () => {
  it('names the period and region, leaving out what is not set', () => {
    expect(visitCoverageMapUrl({ from: '2026-12-01', to: '2026-12-08', regionCode: '410621' }))
      .toBe('/api/visits/coverage/map?from=2026-12-01&to=2026-12-08&regionCode=410621')
    expect(visitCoverageMapUrl({})).toBe('/api/visits/coverage/map?')
  })
})
