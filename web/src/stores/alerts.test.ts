import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AlertSummary } from '../api'
import { micros, useAlertsStore } from './alerts'

function alert(id: number, extra: Partial<AlertSummary> = {}): AlertSummary {
  return {
    id, level: 'yellow', status: 'raised', detector: 'repeat-place', lane: 'alarm', regionCode: '410611004005005', title: `预警 ${id}`,
    summary: '同一地点 7 天内 3 起事件', raisedAt: '2026-11-28T15:10:34.667885+08:00', updatedAt: '2026-11-28T15:10:34.667885+08:00', snoozedUntil: null,
    disposition: null, taskDoneAt: null, ...extra,
  }
}

beforeEach(() => setActivePinia(createPinia()))

describe('micros', () => {
  it('orders times the server wrote with different numbers of fractional digits', () => {
    // .NET trims trailing zeros (".6679"), PostgreSQL writes six digits (".667885").
    expect(micros('2026-11-28T15:10:34.6679+08:00') - micros('2026-11-28T15:10:34.667885+08:00')).toBe(15)
    expect(micros('2026-11-28T15:10:34+08:00')).toBe(Date.parse('2026-11-28T07:10:34Z') * 1000)
  })
})

describe('alerts store', () => {
  it('lists open alerts red first, then by latest change', () => {
    const store = useAlertsStore()
    store.replace([
      alert(1, { level: 'blue', updatedAt: '2026-11-28T15:12:00+08:00' }),
      alert(2, { level: 'red', updatedAt: '2026-11-28T15:00:00+08:00' }),
      alert(3, { level: 'blue', updatedAt: '2026-11-28T15:13:00+08:00' }),
      alert(4, { level: 'orange', status: 'closed' }),
    ], store.mark())
    expect(store.open.map((a) => a.id)).toEqual([2, 3, 1])
    expect(store.unhandled.map((a) => a.id)).toEqual([2, 3, 1])
  })

  it('takes events in order, and no REST row older than what an event brought', () => {
    const store = useAlertsStore()
    store.applyEvent(alert(1, { status: 'acknowledged', updatedAt: '2026-11-28T15:20:00.000002+08:00' }))
    // A page read before that step, merged after its event: must not roll the alert back.
    expect(store.upsert(alert(1, { status: 'raised', updatedAt: '2026-11-28T15:20:00.000001+08:00' }))).toBe(false)
    expect(store.byId.get(1)?.status).toBe('acknowledged')
    store.applyEvent(alert(1, { status: 'closed', updatedAt: '2026-11-28T15:21:00+08:00' }))
    expect(store.open).toEqual([])
    expect(store.unhandled).toEqual([])
  })

  it('keeps only list fields, whatever REST sent', () => {
    const store = useAlertsStore()
    store.upsert({ ...alert(1), version: 3, gridCodes: ['410611004005005'] } as AlertSummary)
    expect(Object.keys(store.byId.get(1)!)).not.toContain('version')
    expect(Object.isFrozen(store.byId.get(1))).toBe(true)
  })

  it('a reload drops alerts it no longer lists, but not one an event raised while it was on its way', () => {
    const store = useAlertsStore()
    store.replace([alert(1), alert(2)], store.mark())
    const since = store.mark()
    store.applyEvent(alert(3)) // raised after the reload's request was answered
    store.replace([alert(2)], since) // 1 was closed while the screen was disconnected
    expect([...store.byId.keys()].sort()).toEqual([2, 3])
  })

  it('keeps at most what a screen asks for, dropping the rows changed longest ago', () => {
    const store = useAlertsStore()
    store.keepAtMost(3)
    for (let id = 1; id <= 5; id++) store.applyEvent(alert(id, { updatedAt: `2026-11-28T15:0${id}:00+08:00` }))
    expect([...store.byId.keys()].sort()).toEqual([3, 4, 5])
    // An update brings an old alert back to the front: the next one out is the oldest after it.
    store.applyEvent(alert(3, { status: 'acknowledged', updatedAt: '2026-11-28T15:09:00+08:00' }))
    store.applyEvent(alert(6, { updatedAt: '2026-11-28T15:10:00+08:00' }))
    expect([...store.byId.keys()].sort()).toEqual([3, 5, 6])
  })
})
