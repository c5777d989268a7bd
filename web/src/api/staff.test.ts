import { describe, expect, it } from 'vitest'
import { dutySummary } from './staff'

describe('dutySummary', () => {
  it('orders the four kinds and totals on and off duty', () => {
    const rows = dutySummary([
      { kind: 'mediator', onDuty: 2, offDuty: 1 },
      { kind: 'grid_worker', onDuty: 40, offDuty: 8 },
    ])
    expect(rows).toEqual([
      { kind: 'grid_worker', onDuty: 40, total: 48 },
      { kind: 'police', onDuty: 0, total: 0 },
      { kind: 'legal_adviser', onDuty: 0, total: 0 },
      { kind: 'mediator', onDuty: 2, total: 3 },
    ])
  })
})
