import { describe, expect, it, vi } from 'vitest'
import { ApiError, type Incident, type TransitionBody } from '../../api'
import { Outbox, type OutboxApi } from './outbox'

class MemoryStore {
  data = new Map<string, string>()
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.data.set(key, value)
  }
}

/** A server with one incident that applies steps by version, as the real one does with If-Match. */
function server(me = 'gw-1') {
  const incident: Incident = {
    id: 9, status: 'dispatched', version: 3, categoryCode: 'safety', categoryName: '安全隐患', priority: 2, description: 'x',
    lon: 114, lat: 35, gridCode: 'g', villageCode: 'v', townshipCode: 't', districtCode: 'd', level: 'township', duplicateOf: null,
    createdAt: '', dueAt: null, source: 'hotline', reporterName: null, reporterPhone: null, createdBy: 'x', updatedAt: '',
    assignments: [{ id: 1, staffId: 1, staffCode: me, staffName: '张三', role: 'grid_worker', status: 'pending', assignedAt: '', respondedAt: null }],
    timeline: [
      { at: '', actor: 'd', action: 'report', fromStatus: null, toStatus: 'reported', note: null, lon: null, lat: null },
      { at: '', actor: 'd', action: 'accept', fromStatus: 'reported', toStatus: 'accepted', note: null, lon: null, lat: null },
      { at: '', actor: 'd', action: 'dispatch', fromStatus: 'accepted', toStatus: 'dispatched', note: null, lon: null, lat: null },
    ],
  }
  const applied: string[] = []
  const reports = new Map<string, Incident>()
  let network = true
  let loseAnswers = 0
  const api: OutboxApi = {
    async transition(_id: number, version: number, body: TransitionBody) {
      if (!network) throw new TypeError('Failed to fetch')
      if (version !== incident.version) throw new ApiError(412, { title: '版本已过期' })
      if (body.action !== 'acknowledge' || incident.status !== 'dispatched') throw new ApiError(409, { title: '不允许' })
      applied.push(body.action)
      incident.status = 'acknowledged'
      incident.version++
      incident.assignments[0]!.status = 'acknowledged'
      incident.timeline.push({ at: '', actor: me, action: body.action, fromStatus: 'dispatched', toStatus: 'acknowledged', note: null, lon: null, lat: null })
      if (loseAnswers > 0) {
        loseAnswers--
        throw new TypeError('network changed') // the step is committed, the answer never arrives
      }
      return structuredClone(incident)
    },
    async getIncident() {
      if (!network) throw new TypeError('Failed to fetch')
      return structuredClone(incident)
    },
    async createIncident(body, key) {
      if (!network) throw new TypeError('Failed to fetch')
      if (!reports.has(key)) reports.set(key, { ...structuredClone(incident), id: 100 + reports.size, description: body.description })
      if (loseAnswers > 0) {
        loseAnswers--
        throw new TypeError('network changed')
      }
      return reports.get(key)!
    },
    uploadPhoto: vi.fn(async () => ({ id: 1, contentType: 'image/jpeg', bytes: 3, uploadedBy: me, uploadedAt: '', url: '' })),
    isApiError: (e): e is ApiError => e instanceof ApiError,
  }
  return {
    incident, applied, reports, api,
    offline: () => (network = false),
    online: () => (network = true),
    loseNextAnswer: () => (loseAnswers = 1),
  }
}

const acknowledge = (version = 3) => ({ key: 'k1', kind: 'step' as const, at: '', incidentId: 9, version, body: { action: 'acknowledge' as const } })

describe('field outbox', () => {
  it('keeps an offline action, across a reload of the page, and applies it once when the network returns', async () => {
    const s = server()
    const storage = new MemoryStore()
    s.offline()
    const first = new Outbox(s.api, 'gw-1', storage)
    first.add(acknowledge())
    expect(await first.flush()).toEqual([])
    expect(first.pending).toHaveLength(1)

    s.online()
    const second = new Outbox(s.api, 'gw-1', storage) // the phone reopened the app
    const outcomes = await second.flush()
    expect(outcomes.map((o) => o.result)).toEqual(['done'])
    expect(s.applied).toEqual(['acknowledge'])
    expect(second.pending).toHaveLength(0)
    expect(await second.flush()).toEqual([])
    expect(s.applied).toEqual(['acknowledge'])
  })

  it('a step whose answer was lost is recognised on the resend (412) and not applied again', async () => {
    const s = server()
    const outbox = new Outbox(s.api, 'gw-1', new MemoryStore())
    s.loseNextAnswer()
    outbox.add(acknowledge())
    expect(await outbox.flush()).toEqual([])
    expect(s.applied).toEqual(['acknowledge'])
    const outcomes = await outbox.flush()
    expect(outcomes).toMatchObject([{ result: 'done', incident: { status: 'acknowledged', version: 4 } }])
    expect(s.applied).toEqual(['acknowledge'])
  })

  it('a report resent after a lost answer carries the same key and makes no second incident', async () => {
    const s = server()
    const outbox = new Outbox(s.api, 'gw-1', new MemoryStore())
    s.loseNextAnswer()
    outbox.add({ key: 'r1', kind: 'report', at: '', body: { categoryCode: 'safety', description: '井盖缺失', lon: 114, lat: 35 }, photos: [] })
    await outbox.flush()
    const outcomes = await outbox.flush()
    expect(outcomes).toMatchObject([{ result: 'done', incident: { id: 100 } }])
    expect(s.reports.size).toBe(1)
  })

  it('drops a step the lifecycle no longer allows, and says why', async () => {
    const s = server()
    s.incident.status = 'cancelled'
    s.incident.version = 4
    s.incident.timeline.push({ at: '', actor: 'd', action: 'cancel', fromStatus: 'dispatched', toStatus: 'cancelled', note: null, lon: null, lat: null })
    const outbox = new Outbox(s.api, 'gw-1', new MemoryStore())
    outbox.add(acknowledge(3))
    const outcomes = await outbox.flush()
    expect(outcomes).toMatchObject([{ result: 'dropped', reason: '版本已过期' }])
    expect(s.applied).toEqual([])
  })

  it('a report the server took outside the reporter\'s view (202, no body) is done, its photos not attempted', async () => {
    const s = server()
    s.api.createIncident = async () => null
    const outbox = new Outbox(s.api, 'gw-1', new MemoryStore())
    outbox.add({ key: 'r2', kind: 'report', at: '', body: { categoryCode: 'safety', description: '越界上报', lon: 114, lat: 35 }, photos: ['data:image/jpeg;base64,AAAA'] })
    expect((await outbox.flush()).map((o) => o.result)).toEqual(['done'])
    expect(outbox.pending).toHaveLength(0)
    expect(s.api.uploadPhoto).not.toHaveBeenCalled()
  })
})
