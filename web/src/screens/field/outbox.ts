// The field app's outbox: every action a grid worker takes goes here first, is kept in local
// storage, and is sent in order when the network allows — now, or when it returns. Nothing is
// applied twice:
//  - a report carries its Idempotency-Key, so a resend returns the incident the first send made;
//  - a step carries the version it was taken on (If-Match). If a send reached the server but its
//    answer was lost, the resend meets 412; the fresh incident then shows whether the step is
//    already there — the timeline entry at index `version` is the step that followed that version
//    (each step adds one entry and one version; the report is entry 0 at version 1) — and it is
//    counted as done, never sent again.
import type { ApiError, Incident, IncidentAction, NewIncident, Photo, TransitionBody } from '../../api'

export type OutboxItem =
  | { key: string; kind: 'step'; at: string; incidentId: number; version: number; body: TransitionBody & { action: IncidentAction } }
  | { key: string; kind: 'report'; at: string; body: NewIncident; photos: string[] }
  | { key: string; kind: 'photo'; at: string; incidentId: number; photo: string }

export interface OutboxApi {
  transition(id: number, version: number, body: TransitionBody): Promise<Incident>
  getIncident(id: number): Promise<Incident>
  createIncident(body: NewIncident, idempotencyKey: string): Promise<Incident>
  uploadPhoto(id: number, file: Blob, name?: string): Promise<Photo>
  /** Narrows an error to the API's (it has a status) — anything else is the network. */
  isApiError(error: unknown): error is ApiError
}

export type Outcome =
  | { item: OutboxItem; result: 'done'; incident?: Incident }
  | { item: OutboxItem; result: 'dropped'; reason: string }

export interface KeyValueStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
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

export class Outbox {
  private items: OutboxItem[]
  private flushing: Promise<Outcome[]> | null = null

  constructor(
    private readonly api: OutboxApi,
    private readonly me: string,
    private readonly store: KeyValueStore,
    private readonly storageKey = `dispatch.outbox.${me}`,
  ) {
    try {
      this.items = JSON.parse(store.getItem(this.storageKey) ?? '[]') as OutboxItem[]
    } catch {
      this.items = []
    }
  }

  get pending(): readonly OutboxItem[] {
    return this.items
  }

  add(item: OutboxItem): void {
    this.items.push(item)
    this.save()
  }

  private save(): void {
    this.store.setItem(this.storageKey, JSON.stringify(this.items))
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
        // The network, or the server away (5xx): keep the item, try again later.
        if (!this.api.isApiError(error) || error.status >= 500 || error.status === 429) break
        outcome = { item, result: 'dropped', reason: error.problem?.detail ?? error.problem?.title ?? `HTTP ${error.status}` }
      }
      if (!outcome) break
      this.items.shift()
      this.save()
      outcomes.push(outcome)
    }
    return outcomes
  }

  private async send(item: OutboxItem): Promise<Outcome | null> {
    switch (item.kind) {
      case 'report': {
        const incident = await this.api.createIncident(item.body, item.key)
        // Its photos follow as items of their own, so a lost photo answer does not resend the report.
        const photos = item.photos.map((photo, i): OutboxItem => ({ key: `${item.key}-p${i}`, kind: 'photo', at: item.at, incidentId: incident.id, photo }))
        this.items.splice(1, 0, ...photos)
        return { item, result: 'done', incident }
      }
      case 'photo':
        await this.api.uploadPhoto(item.incidentId, dataUrlToBlob(item.photo), `${item.key}.jpg`)
        return { item, result: 'done' }
      case 'step':
        return this.step(item)
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
        this.save()
        return this.step(item)
      }
      return { item, result: 'dropped', reason: error.problem?.detail ?? error.problem?.title ?? `HTTP ${error.status}` }
    }
  }
}
