// The field app's outbox: every action a grid worker takes goes here first, is kept on the phone
// (IndexedDB, see outboxStore.ts; photos as Blobs), and is sent in order when the network allows — now, or when it returns. Nothing is
// applied twice:
//  - a report carries its Idempotency-Key, so a resend returns the incident the first send made;
//  - a step carries the version it was taken on (If-Match). If a send reached the server but its
//    answer was lost, the resend meets 412; the fresh incident then shows whether the step is
//    already there — the timeline entry at index `version` is the step that followed that version
//    (each step adds one entry and one version; the report is entry 0 at version 1) — and it is
//    counted as done, never sent again;
//  - a mediation record or a return visit is taken once by the server (409 after): a resend that
//    meets 409 reads the record back, and it is done if it is the worker's own, dropped (and said
//    so) if someone else's came first;
//  - a 走访 visit carries its item key as the client key, so a resend answers the first visit; a
//    problem made an incident carries the visit itself, resent first (which finds the visit and its
//    id even when the visit was logged offline) — and the server makes one incident per problem.
import type {
  ApiError, FieldVisit, Incident, IncidentAction, MediationBody, MediationRecord, MediationVisit, NewFieldVisit, NewIncident, Photo, TransitionBody,
  VisitFinding, VisitStatus,
} from '../../api'
import type { OutboxStore } from './outboxStore'

export type OutboxItem =
  | { key: string; kind: 'step'; at: string; incidentId: number; version: number; body: TransitionBody & { action: IncidentAction } }
  | { key: string; kind: 'report'; at: string; body: NewIncident; photos: Blob[] }
  | { key: string; kind: 'photo'; at: string; incidentId: number; photo: Blob }
  | { key: string; kind: 'mediation'; at: string; incidentId: number; body: MediationBody }
  | { key: string; kind: 'visit'; at: string; visitId: number; incidentId: number; finding: VisitFinding; note?: string }
  | { key: string; kind: 'canvass'; at: string; body: NewFieldVisit }
  /** `visit`: the visit's id once the phone has it from the server, else the visit as logged (resent first to learn its id). */
  | { key: string; kind: 'canvassIncident'; at: string; visit: NewFieldVisit | number; index: number; categoryCode: string }

/** An item as the localStorage outbox kept it, photos as data: URLs. */
type LegacyItem =
  | Extract<OutboxItem, { kind: 'step' }>
  | (Omit<Extract<OutboxItem, { kind: 'report' }>, 'photos'> & { photos: string[] })
  | (Omit<Extract<OutboxItem, { kind: 'photo' }>, 'photo'> & { photo: string })

export interface OutboxApi {
  transition(id: number, version: number, body: TransitionBody): Promise<Incident>
  getIncident(id: number): Promise<Incident>
  createIncident(body: NewIncident, idempotencyKey: string): Promise<Incident | null>
  uploadPhoto(id: number, file: Blob, name?: string): Promise<Photo>
  recordMediation(incidentId: number, body: MediationBody): Promise<MediationRecord>
  getMediation(incidentId: number): Promise<MediationRecord>
  recordVisit(id: number, finding: VisitFinding, note?: string): Promise<MediationVisit>
  mediationVisits(status?: VisitStatus): Promise<MediationVisit[]>
  logVisit(body: NewFieldVisit): Promise<FieldVisit>
  visitProblemToIncident(visitId: number, index: number, categoryCode: string): Promise<Incident>
  /** Narrows an error to the API's (it has a status) — anything else is the network. */
  isApiError(error: unknown): error is ApiError
}

export type Outcome =
  | { item: OutboxItem; result: 'done'; incident?: Incident }
  | { item: OutboxItem; result: 'dropped'; reason: string }

export interface KeyValueStore {
  getItem(key: string): string | null
  removeItem(key: string): void
}

/** Whether the step `item` is already part of `incident`'s history, taken by `me`. */
export function alreadyApplied(incident: Incident, item: Extract<OutboxItem, { kind: 'step' }>, me: string): boolean {
  const entry = incident.timeline[item.version]
  return !!entry && entry.action === item.body.action && entry.actor === me
}

/** Steps a field member may still take from a status (the server decides; this avoids pointless sends). */
const fieldSteps: Partial<Record<Incident['status'], IncidentAction[]>> = {
  dispatched: ['acknowledge', 'decline'],
  acknowledged: ['arrive'],
  on_scene: ['resolve'],
}

export function dataUrlToBlob(dataUrl: string): Blob {
  const [head, body] = dataUrl.split(',', 2)
  const type = /data:([^;]+)/.exec(head ?? '')?.[1] ?? 'image/jpeg'
  const bytes = Uint8Array.from(atob(body ?? ''), (c) => c.charCodeAt(0))
  return new Blob([bytes], { type })
}

/** The localStorage outbox of earlier versions, as items for the IndexedDB one (photos made Blobs). */
function fromLegacy(item: LegacyItem): OutboxItem {
  if (item.kind === 'report') return { ...item, photos: item.photos.map(dataUrlToBlob) }
  if (item.kind === 'photo') return { ...item, photo: dataUrlToBlob(item.photo) }
  return item
}

/** The photo items that follow a sent report (none when it was taken outside the reporter's view, 202). */
function photosOf(item: Extract<OutboxItem, { kind: 'report' }>, incident: Incident | undefined): OutboxItem[] {
  if (!incident) return []
  return item.photos.map((photo, i) => ({ key: `${item.key}-p${i}`, kind: 'photo', at: item.at, incidentId: incident.id, photo }))
}

export class Outbox {
  private flushing: Promise<Outcome[]> | null = null

  private constructor(
    private readonly api: OutboxApi,
    private readonly me: string,
    private readonly store: OutboxStore,
    private items: OutboxItem[],
  ) {}

  /**
   * The user's outbox as the phone kept it. What an earlier version left in localStorage moves
   * over once (ahead of the rest: it is older), and is removed from there only when stored.
   */
  static async open(api: OutboxApi, me: string, store: OutboxStore, legacy?: KeyValueStore): Promise<Outbox> {
    const outbox = new Outbox(api, me, store, await store.load(me))
    const legacyKey = `dispatch.outbox.${me}`
    const old = legacy?.getItem(legacyKey)
    if (old != null) {
      let moved: OutboxItem[] | null = null
      try {
        moved = (JSON.parse(old) as LegacyItem[]).map(fromLegacy).filter((item) => !outbox.items.some((i) => i.key === item.key))
      } catch (error) {
        console.warn('outbox: unreadable localStorage outbox left as it is', error)
      }
      if (moved) {
        await store.save(me, [...moved, ...outbox.items].map((i) => i.key), moved, [])
        outbox.items = [...moved, ...outbox.items]
        if (store.durable) legacy!.removeItem(legacyKey) // kept where it was while nothing else outlives the page
      }
    }
    return outbox
  }

  get pending(): readonly OutboxItem[] {
    return this.items
  }

  /** Whether what waits here outlives the page (no IndexedDB: it does not). */
  get durable(): boolean {
    return this.store.durable
  }

  /** Keeps an item; rejects (StorageError) when the phone could not store it, and then it is not queued. */
  async add(item: OutboxItem): Promise<void> {
    await this.store.save(this.me, [...this.items, item].map((i) => i.key), [item], [])
    this.items.push(item)
  }

  private save(put: OutboxItem[] = [], remove: string[] = []): Promise<void> {
    return this.store.save(this.me, this.items.map((i) => i.key), put, remove)
  }

  /** Sends what is waiting, in order; stops at the first network failure (the rest waits with it). */
  flush(): Promise<Outcome[]> {
    this.flushing ??= this.run().finally(() => (this.flushing = null))
    return this.flushing
  }

  private async run(): Promise<Outcome[]> {
    const outcomes: Outcome[] = []
    while (this.items.length) {
      const item = this.items[0]!
      let outcome: Outcome | null
      try {
        outcome = await this.send(item)
      } catch (error) {
        // The network (fetch rejects with a TypeError), or the server away or busy: keep the item, try later.
        if (error instanceof TypeError || (this.api.isApiError(error) && (error.status >= 500 || error.status === 429))) break
        // Anything else will not get better by sending it again: dropped, and said so.
        const reason = this.api.isApiError(error) ? (error.problem?.detail ?? error.problem?.title ?? `HTTP ${error.status}`) : String(error)
        outcome = { item, result: 'dropped', reason }
      }
      if (!outcome) break
      this.items.shift()
      // A report's photos follow as items of their own, so a lost photo answer does not resend the report.
      const added = item.kind === 'report' && outcome.result === 'done' ? photosOf(item, outcome.incident) : []
      this.items.unshift(...added)
      // Sent is sent: a failure to forget it only means a resend after a reload, which the
      // server recognises (the report's key, a photo's bytes, a step's version).
      await this.save(added, [item.key]).catch((error) => console.warn('outbox: could not forget a sent item', error))
      outcomes.push(outcome)
    }
    return outcomes
  }

  private async send(item: OutboxItem): Promise<Outcome | null> {
    switch (item.kind) {
      case 'report': {
        const incident = await this.api.createIncident(item.body, item.key)
        return { item, result: 'done', incident: incident ?? undefined }
      }
      case 'photo':
        await this.api.uploadPhoto(item.incidentId, item.photo, `${item.key}.jpg`)
        return { item, result: 'done' }
      case 'step':
        return this.step(item)
      case 'mediation':
        return this.once(item, () => this.api.recordMediation(item.incidentId, item.body),
          async () => (await this.api.getMediation(item.incidentId)).recordedBy === this.me)
      case 'visit':
        return this.once(item, () => this.api.recordVisit(item.visitId, item.finding, item.note),
          async () => (await this.api.mediationVisits('done')).some((v) => v.id === item.visitId && v.doneBy === this.me))
      case 'canvass':
        await this.api.logVisit(item.body)
        return { item, result: 'done' }
      case 'canvassIncident': {
        const visitId = typeof item.visit === 'number' ? item.visit : (await this.api.logVisit(item.visit)).id
        await this.api.visitProblemToIncident(visitId, item.index, item.categoryCode)
        return { item, result: 'done' }
      }
    }
  }

  /** A record the server takes once: a 409 is this worker's earlier send (its answer lost) when `mine` says so, else someone else's. */
  private async once(item: OutboxItem, send: () => Promise<unknown>, mine: () => Promise<boolean>): Promise<Outcome> {
    try {
      await send()
      return { item, result: 'done' }
    } catch (error) {
      if (!this.api.isApiError(error) || error.status !== 409) throw error
      if (await mine().catch(() => false)) return { item, result: 'done' }
      return { item, result: 'dropped', reason: error.problem?.detail ?? error.problem?.title ?? `HTTP ${error.status}` }
    }
  }

  private async step(item: Extract<OutboxItem, { kind: 'step' }>): Promise<Outcome> {
    try {
      return { item, result: 'done', incident: await this.api.transition(item.incidentId, item.version, item.body) }
    } catch (error) {
      if (!this.api.isApiError(error) || (error.status !== 412 && error.status !== 409)) throw error
      const fresh = await this.api.getIncident(item.incidentId)
      if (alreadyApplied(fresh, item, this.me)) return { item, result: 'done', incident: fresh }
      if (error.status === 412 && fieldSteps[fresh.status]?.includes(item.body.action)) {
        // Someone else's step came between (e.g. a teammate acknowledged): the worker's own step still
        // stands and is still allowed, so it is taken on the fresh version.
        item.version = fresh.version
        await this.save([item]).catch((error) => console.warn('outbox: could not store a step\'s new version', error))
        return this.step(item)
      }
      return { item, result: 'dropped', reason: error.problem?.detail ?? error.problem?.title ?? `HTTP ${error.status}` }
    }
  }
}
