// @vitest-environment node
// Node's own Blob and structured clone, which fake-indexeddb stores as a browser's IndexedDB does.
import 'fake-indexeddb/auto'
import { describe, expect, it, vi } from 'vitest'
import { ApiError, type FieldVisit, type Incident, type MediationRecord, type MediationVisit, type TransitionBody } from '../../api'
import { Outbox, type OutboxApi, type OutboxItem } from './outbox'
import { IdbOutboxStore, MemoryOutboxStore, StorageError, type OutboxStore } from './outboxStore'

let databases = 0
/** A phone's outbox database of its own for each test. */
const phoneStore = (name = `outbox-test-${++databases}`) => IdbOutboxStore.open(name)

class LocalStorage {
  data = new Map<string, string>()
  getItem(key: string) {
    return this.data.get(key) ?? null
  }
  removeItem(key: string) {
    this.data.delete(key)
  }
}

/** A server with one incident that applies steps by version, as the real one does with If-Match. */
function server(me = 'gw-1') {
  const incident: Incident = {
    id: 9, status: 'dispatched', version: 3, categoryCode: 'safety', categoryName: '安全隐患', priority: 2, description: 'x',
    lon: 114, lat: 35, gridCode: 'g', villageCode: 'v', townshipCode: 't', districtCode: 'd', level: 'township', centreCode: 't', centreName: '城西街道', duplicateOf: null,
    createdAt: '', dueAt: null, warnAt: null, supervised: false, source: 'hotline', reporterName: null, reporterPhone: null, createdBy: 'x', updatedAt: '',
    assignments: [{ id: 1, staffId: 1, staffCode: me, staffName: '张三', role: 'grid_worker', status: 'pending', assignedAt: '', respondedAt: null, ackWarnedAt: null }],
    timeline: [
      { at: '', actor: 'd', action: 'report', fromStatus: null, toStatus: 'reported', note: null, lon: null, lat: null },
      { at: '', actor: 'd', action: 'accept', fromStatus: 'reported', toStatus: 'accepted', note: null, lon: null, lat: null },
      { at: '', actor: 'd', action: 'dispatch', fromStatus: 'accepted', toStatus: 'dispatched', note: null, lon: null, lat: null },
    ],
  }
  const applied: string[] = []
  const reports = new Map<string, Incident>()
  const walks = new Map<string, FieldVisit>()
  const uploads: string[] = []
  let network = true
  let loseAnswers = 0
  /** The server's one mediation record for the case, and its return visit (taken once each: 409 after). */
  let mediation: MediationRecord | null = null
  const visit: MediationVisit = { id: 5, incidentId: 9, categoryName: '邻里纠纷', description: 'x', afterDays: 7, dueOn: '2026-12-14', staffCode: me, status: 'due', finding: null, note: null, doneBy: null, doneAt: null }
  const lost = () => {
    if (loseAnswers > 0) {
      loseAnswers--
      throw new TypeError('network changed')
    }
  }
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
    uploadPhoto: vi.fn(async (_id: number, file: Blob) => {
      if (!network) throw new TypeError('Failed to fetch')
      uploads.push(await file.text())
      return { id: uploads.length, contentType: file.type, bytes: file.size, uploadedBy: me, uploadedAt: '', url: '' }
    }),
    async recordMediation(incidentId, body) {
      if (!network) throw new TypeError('Failed to fetch')
      if (mediation) throw new ApiError(409, { title: '冲突', detail: '该事件已记录过调解结果。' })
      mediation = { incidentId, ...body, note: body.note ?? null, mediatedByName: '人民调解', recordedBy: me, recordedAt: '', visitsDue: [] }
      applied.push('mediation')
      lost()
      return mediation
    },
    async getMediation() {
      if (!mediation) throw new ApiError(404, { title: '未找到' })
      return mediation
    },
    async recordVisit(_id, finding) {
      if (!network) throw new TypeError('Failed to fetch')
      if (visit.status === 'done') throw new ApiError(409, { title: '冲突', detail: '该回访已完成。' })
      Object.assign(visit, { status: 'done', finding, doneBy: me })
      applied.push(`visit:${finding}`)
      lost()
      return visit
    },
    async mediationVisits(status) {
      return visit.status === (status ?? visit.status) ? [visit] : []
    },
    // 走访 as the server takes them: one visit per client key, one incident per problem.
    async logVisit(body) {
      if (!network) throw new TypeError('Failed to fetch')
      if (!walks.has(body.clientKey)) {
        walks.set(body.clientKey, {
          id: 50 + walks.size, gridCode: 'g', staffCode: me, ...body, notes: body.notes ?? null, visitedAt: '', createdAt: '',
          problems: body.problems.map((p, index) => ({ index, description: p.description, incidentId: null })),
        })
        applied.push(`canvass:${body.key}`)
      }
      lost()
      return structuredClone(walks.get(body.clientKey)!)
    },
    async visitProblemToIncident(visitId, index) {
      if (!network) throw new TypeError('Failed to fetch')
      const problem = [...walks.values()].find((w) => w.id === visitId)!.problems[index]!
      if (problem.incidentId === null) {
        problem.incidentId = 200 + index
        applied.push(`incident:${visitId}/${index}`)
      }
      lost()
      return { ...structuredClone(incident), id: problem.incidentId }
    },
    isApiError: (e): e is ApiError => e instanceof ApiError,
  }
  return {
    incident, applied, reports, uploads, api, visit,
    /** Someone else (a dispatcher at the centre) recorded the case's mediation first. */
    recordedBy: (who: string) => (mediation = { incidentId: 9, outcome: 'agreement', mediatedBy: 'people', mediatedByName: '人民调解', note: null, recordedBy: who, recordedAt: '', visitsDue: [] }),
    offline: () => (network = false),
    online: () => (network = true),
    loseNextAnswer: () => (loseAnswers = 1),
  }
}

const acknowledge = (version = 3) => ({ key: 'k1', kind: 'step' as const, at: '', incidentId: 9, version, body: { action: 'acknowledge' as const } })

describe('field outbox', () => {
  it('a 走访 visit logged offline and one of its problems made an incident are sent once each, even when their answers are lost', async () => {
    const s = server()
    const outbox = await Outbox.open(s.api, 'gw-1', await phoneStore())
    s.offline()
    const visit = { kind: 'household' as const, key: '3号楼201', lon: 114, lat: 35, clientKey: 'w1', problems: [{ description: '楼道堆物' }, { description: '灭火器过期' }] }
    await outbox.add({ key: 'w1', kind: 'canvass', at: '', body: visit })
    await outbox.add({ key: 'w1-i1', kind: 'canvassIncident', at: '', visit, index: 1, categoryCode: 'safety' })
    expect(await outbox.flush()).toEqual([])
    s.online()
    s.loseNextAnswer()
    expect(await outbox.flush()).toEqual([]) // the visit taken, its answer lost: kept
    expect(outbox.pending).toHaveLength(2)
    // The visit again (the server answers the same one), then the problem made an incident at that visit's id.
    expect(await outbox.flush()).toMatchObject([{ result: 'done' }, { result: 'done' }])
    expect(s.applied).toEqual(['canvass:3号楼201', 'incident:50/1'])
    expect(outbox.pending).toHaveLength(0)
  })

  it('a return visit answered with no signal is sent once when the network returns, even when that answer is lost', async () => {
    const s = server()
    const outbox = await Outbox.open(s.api, 'gw-1', await phoneStore())
    s.offline()
    await outbox.add({ key: 'v1', kind: 'visit', at: '', visitId: 5, incidentId: 9, finding: 'alive', note: '又起争执' })
    expect(await outbox.flush()).toEqual([])
    s.online()
    s.loseNextAnswer()
    expect(await outbox.flush()).toEqual([]) // taken by the server, the answer lost: kept
    expect(outbox.pending).toHaveLength(1)
    expect(await outbox.flush()).toMatchObject([{ result: 'done' }]) // 409, and the visit is mine: done
    expect(s.applied).toEqual(['visit:alive'])
    expect(outbox.pending).toHaveLength(0)
  })

  it('a mediation recorded offline is done when its lost answer is found to be mine, dropped with the reason when someone else recorded first', async () => {
    const mine = server()
    const outbox = await Outbox.open(mine.api, 'gw-1', await phoneStore())
    mine.loseNextAnswer()
    await outbox.add({ key: 'm1', kind: 'mediation', at: '', incidentId: 9, body: { outcome: 'agreement', mediatedBy: 'people' } })
    await outbox.flush()
    expect(await outbox.flush()).toMatchObject([{ result: 'done' }])
    expect(mine.applied).toEqual(['mediation'])

    const rival = server()
    rival.recordedBy('dispatcher-410602001001')
    const other = await Outbox.open(rival.api, 'gw-1', await phoneStore())
    await other.add({ key: 'm2', kind: 'mediation', at: '', incidentId: 9, body: { outcome: 'failed', mediatedBy: 'people' } })
    expect(await other.flush()).toMatchObject([{ result: 'dropped', reason: '该事件已记录过调解结果。' }])
    expect(rival.applied).toEqual([])
  })

  it('keeps an offline action, across a reload of the page, and applies it once when the network returns', async () => {
    const s = server()
    const name = `outbox-test-${++databases}`
    s.offline()
    const first = await Outbox.open(s.api, 'gw-1', await phoneStore(name))
    await first.add(acknowledge())
    expect(await first.flush()).toEqual([])
    expect(first.pending).toHaveLength(1)

    s.online()
    const second = await Outbox.open(s.api, 'gw-1', await phoneStore(name)) // the phone reopened the app
    const outcomes = await second.flush()
    expect(outcomes.map((o: { result: string }) => o.result)).toEqual(['done'])
    expect(s.applied).toEqual(['acknowledge'])
    expect(second.pending).toHaveLength(0)
    expect(await second.flush()).toEqual([])
    expect(s.applied).toEqual(['acknowledge'])
  })

  it('a step whose answer was lost is recognised on the resend (412) and not applied again', async () => {
    const s = server()
    const outbox = await Outbox.open(s.api, 'gw-1', await phoneStore())
    s.loseNextAnswer()
    await outbox.add(acknowledge())
    expect(await outbox.flush()).toEqual([])
    expect(s.applied).toEqual(['acknowledge'])
    const outcomes = await outbox.flush()
    expect(outcomes).toMatchObject([{ result: 'done', incident: { status: 'acknowledged', version: 4 } }])
    expect(s.applied).toEqual(['acknowledge'])
  })

  it('a report resent after a lost answer carries the same key and makes no second incident', async () => {
    const s = server()
    const outbox = await Outbox.open(s.api, 'gw-1', await phoneStore())
    s.loseNextAnswer()
    await outbox.add({ key: 'r1', kind: 'report', at: '', body: { categoryCode: 'safety', description: '井盖缺失', lon: 114, lat: 35 }, photos: [] })
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
    const outbox = await Outbox.open(s.api, 'gw-1', await phoneStore())
    await outbox.add(acknowledge(3))
    const outcomes = await outbox.flush()
    expect(outcomes).toMatchObject([{ result: 'dropped', reason: '版本已过期' }])
    expect(s.applied).toEqual([])
  })

  it('a report the server took outside the reporter\'s view (202, no body) is done, its photos not attempted', async () => {
    const s = server()
    s.api.createIncident = async () => null
    const outbox = await Outbox.open(s.api, 'gw-1', await phoneStore())
    await outbox.add({ key: 'r2', kind: 'report', at: '', body: { categoryCode: 'safety', description: '越界上报', lon: 114, lat: 35 }, photos: [new Blob(['AAAA'], { type: 'image/jpeg' })] })
    expect((await outbox.flush()).map((o: { result: string }) => o.result)).toEqual(['done'])
    expect(outbox.pending).toHaveLength(0)
    expect(s.api.uploadPhoto).not.toHaveBeenCalled()
  })

  it('a report with three photos taken offline survives a reload as Blobs; back online, one incident and each photo once', async () => {
    const s = server()
    const name = `outbox-test-${++databases}`
    s.offline()
    const photos = ['photo one', 'photo two', 'photo three'].map((text) => new Blob([text], { type: 'image/jpeg' }))
    const first = await Outbox.open(s.api, 'gw-1', await phoneStore(name))
    await first.add({ key: 'r3', kind: 'report', at: '', body: { categoryCode: 'safety', description: '路灯倒伏', lon: 114, lat: 35 }, photos })
    expect(await first.flush()).toEqual([])

    s.online()
    const second = await Outbox.open(s.api, 'gw-1', await phoneStore(name))
    const kept = second.pending[0] as Extract<OutboxItem, { kind: 'report' }>
    expect(kept.photos.map((p) => p instanceof Blob && p.type)).toEqual(['image/jpeg', 'image/jpeg', 'image/jpeg'])
    // The first photo's answer is lost: it is sent again; the report is not.
    let lose = true
    const upload = s.api.uploadPhoto
    s.api.uploadPhoto = async (id, file, fileName) => {
      const photo = await upload(id, file, fileName)
      if (lose && !(lose = false)) throw new TypeError('network changed')
      return photo
    }
    expect((await second.flush()).map((o) => o.item.kind)).toEqual(['report'])
    expect(second.pending.map((i) => i.key)).toEqual(['r3-p0', 'r3-p1', 'r3-p2'])
    const third = await Outbox.open(s.api, 'gw-1', await phoneStore(name)) // reopened again, the photos still there
    expect(third.pending.map((i) => i.key)).toEqual(['r3-p0', 'r3-p1', 'r3-p2'])
    expect((await third.flush()).map((o) => o.item.key)).toEqual(['r3-p0', 'r3-p1', 'r3-p2'])
    expect(s.reports.size).toBe(1)
    expect(s.uploads).toEqual(['photo one', 'photo one', 'photo two', 'photo three']) // the resent one the server knows by its bytes
    expect((await Outbox.open(s.api, 'gw-1', await phoneStore(name))).pending).toEqual([])
  })

  it('moves a localStorage outbox of an earlier version over once, photos made Blobs, and removes it there', async () => {
    const s = server()
    s.offline()
    const local = new LocalStorage()
    local.data.set('dispatch.outbox.gw-1', JSON.stringify([
      acknowledge(),
      { key: 'r4', kind: 'report', at: '', body: { categoryCode: 'safety', description: '旧版上报', lon: 114, lat: 35 }, photos: [`data:image/jpeg;base64,${btoa('old photo')}`] },
    ]))
    const name = `outbox-test-${++databases}`
    const first = await Outbox.open(s.api, 'gw-1', await phoneStore(name), local)
    expect(first.pending.map((i) => i.key)).toEqual(['k1', 'r4'])
    expect(local.getItem('dispatch.outbox.gw-1')).toBeNull()
    const second = await Outbox.open(s.api, 'gw-1', await phoneStore(name), local)
    expect(second.pending.map((i) => i.key)).toEqual(['k1', 'r4'])
    const report = second.pending[1] as Extract<OutboxItem, { kind: 'report' }>
    expect(await report.photos[0]!.text()).toBe('old photo')
    expect(report.photos[0]!.type).toBe('image/jpeg')
    // Another user's queue on the same phone is theirs alone.
    expect((await Outbox.open(s.api, 'gw-2', await phoneStore(name), local)).pending).toEqual([])
  })

  it('an item the phone could not store is refused, not queued, and the reason is the storage', async () => {
    const s = server()
    const inner = new MemoryOutboxStore()
    const full: OutboxStore = {
      durable: true,
      load: (owner) => inner.load(owner),
      save: async () => {
        throw new StorageError('full', new DOMException('quota', 'QuotaExceededError'))
      },
    }
    const outbox = await Outbox.open(s.api, 'gw-1', full)
    await expect(outbox.add(acknowledge())).rejects.toMatchObject({ reason: 'full' })
    expect(outbox.pending).toEqual([])
    expect(s.applied).toEqual([])
  })

  it('says so when the browser has no IndexedDB', async () => {
    vi.stubGlobal('indexedDB', undefined)
    try {
      await expect(IdbOutboxStore.open('outbox-none')).rejects.toMatchObject({ reason: 'unavailable' })
    } finally {
      vi.unstubAllGlobals()
    }
    // The stand-in keeps the queue for the page's life only, and says so; a localStorage outbox stays where it is.
    const local = new LocalStorage()
    local.data.set('dispatch.outbox.gw-1', JSON.stringify([acknowledge()]))
    const outbox = await Outbox.open(server().api, 'gw-1', new MemoryOutboxStore(), local)
    expect(outbox.durable).toBe(false)
    expect(outbox.pending).toHaveLength(1)
    expect(local.getItem('dispatch.outbox.gw-1')).not.toBeNull()
  })
})
