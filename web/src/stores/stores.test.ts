import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import type { IncidentSummary } from '../api'
import { useConnectionStore } from './connection'
import { useIncidentsStore } from './incidents'
import { useStaffStore } from './staff'

function row(id: number, version = 1, extra: Partial<IncidentSummary> = {}): IncidentSummary {
  return {
    id, version, status: 'reported', categoryCode: 'safety', categoryName: '安全隐患', priority: 2, description: `#${id} v${version}`,
    lon: 114.3, lat: 35.7, gridCode: '410611001001001', villageCode: '410611001001', townshipCode: '410611001', districtCode: '410611',
    level: 'township', centreCode: '410611001', duplicateOf: null, createdAt: new Date(Date.UTC(2026, 10, 28, 4, 0, id)).toISOString(), dueAt: null, warnAt: null, supervised: false, ...extra,
  }
}

beforeEach(() => setActivePinia(createPinia()))

describe('incidents store', () => {
  it('keeps the newer version whichever arrives last', () => {
    const store = useIncidentsStore()
    store.upsert(row(1, 3, { status: 'dispatched' }))
    // A REST page loaded before the event arrived, merged after it: must not roll the row back.
    store.merge([row(1, 2, { status: 'accepted' })])
    expect(store.byId.get(1)).toMatchObject({ version: 3, status: 'dispatched' })
    store.upsert(row(1, 4, { status: 'acknowledged' }))
    expect(store.byId.get(1)?.status).toBe('acknowledged')
    // The same version again (a duplicate event) changes nothing.
    expect(store.upsert(row(1, 4, { status: 'closed' }))).toBe(false)
  })

  it('takes the same version when only its 督办 mark changed (an order does not bump the version)', () => {
    const store = useIncidentsStore()
    store.upsert(row(1, 2))
    expect(store.upsert(row(1, 2, { supervised: true }))).toBe(true)
    expect(store.byId.get(1)?.supervised).toBe(true)
    expect(store.upsert(row(1, 2, { supervised: true }))).toBe(false)
    expect(store.upsert(row(1, 1, { supervised: false }))).toBe(false)
  })

  it('puts reports on the ticker newest first, once each, at most tickerLength', () => {
    const store = useIncidentsStore()
    store.configure({ tickerLength: 3 })
    store.merge([row(1), row(2)], true)
    store.applyEvent('incident.created', { ...row(4), updatedAt: row(4).createdAt, action: 'report', actor: 'x', dueAt: null } as never)
    store.applyEvent('incident.created', { ...row(3), updatedAt: row(3).createdAt, action: 'report', actor: 'x', dueAt: null } as never)
    store.applyEvent('incident.updated', { ...row(3, 2), updatedAt: row(3).createdAt, action: 'accept', actor: 'x', dueAt: null } as never)
    expect(store.tickerRows.map((r) => r.id)).toEqual([4, 3, 2])
    expect(store.byId.get(3)?.version).toBe(2)
  })

  it('prunes the oldest closed rows beyond its bound, never an open one or one on the ticker', () => {
    const store = useIncidentsStore()
    store.configure({ maxClosed: 2, tickerLength: 1 })
    store.merge([row(1, 1, { status: 'closed' }), row(2, 1, { status: 'closed' }), row(3, 1, { status: 'cancelled' })])
    store.merge([row(4, 1, { status: 'reported' })])
    store.merge([row(5, 1, { status: 'closed' })], true)
    expect([...store.byId.keys()].sort()).toEqual([3, 4, 5])
    expect(store.openRows.map((r) => r.id)).toEqual([4])
  })
})

describe('connection store', () => {
  it('counts a lost connection that came back, and remembers when it was lost', () => {
    const store = useConnectionStore()
    store.set('connecting')
    store.set('live')
    expect(store.reconnects).toBe(0)
    store.set('reconnecting')
    expect(store.lost).toBe(true)
    expect(store.lostAt).toBeInstanceOf(Date)
    store.set('live')
    expect(store.reconnects).toBe(1)
    expect(store.lostAt).toBeNull()
  })
})

describe('staff store', () => {
  it('keeps the later fix of a person', () => {
    const store = useStaffStore()
    const fix = { staffId: 7, code: 'gw-1', name: '张三', kind: 'grid_worker' as const, status: 'available' as const, lon: 114, lat: 35 }
    store.place({ ...fix, at: '2026-11-28T12:00:10+08:00' })
    store.place({ ...fix, lon: 115, at: '2026-11-28T12:00:00+08:00' })
    expect(store.byId.get(7)?.lon).toBe(114)
    store.place({ ...fix, lon: 116, at: '2026-11-28T12:00:20+08:00' })
    expect(store.all.map((s) => s.lon)).toEqual([116])
  })
})
