import { describe, expect, it } from 'vitest'
import { duration, kpiPeriods, percent } from './kpis'

describe('kpi periods and formats', () => {
  it('names periods in Beijing days, across the turn of a month and a year in UTC', () => {
    // 2026-01-01 02:00 Beijing is still 2025-12-31 in UTC.
    const p = kpiPeriods(new Date('2025-12-31T18:00:00Z'))
    expect(p.month).toEqual({ from: '2026-01-01', to: '2026-01-01' })
    expect(p.lastMonth).toEqual({ from: '2025-12-01', to: '2025-12-31' })
    expect(p.quarter).toEqual({ from: '2026-01-01', to: '2026-01-01' })
    expect(p.year).toEqual({ from: '2026-01-01', to: '2026-01-01' })
    const q = kpiPeriods(new Date('2026-12-07T12:00:00Z'))
    expect(q.quarter).toEqual({ from: '2026-10-01', to: '2026-12-07' })
    expect(q.lastMonth).toEqual({ from: '2026-11-01', to: '2026-11-30' })
  })

  it('shows rates and durations as a supervisor reads them', () => {
    expect(percent(0.6667)).toBe('66.7%')
    expect(percent(null)).toBe('—')
    const units = { minutes: '分钟', hours: '小时', days: '天' }
    expect(duration(45, units)).toBe('45 分钟')
    expect(duration(210, units)).toBe('3.5 小时')
    expect(duration(4320, units)).toBe('3.0 天')
    expect(duration(null, units)).toBe('—')
  })
})
