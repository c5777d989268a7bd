// The incidents a screen shows, kept current by REST loads and live events alike. Every write goes
// through `upsert`, which keeps the newer version of a row (or the same one with its 督办 mark changed): a reload racing live events, a replay
// after a reconnect or a duplicate cannot roll a row back. Rows are frozen plain objects (a new one
// per change), so a wall holding thousands of them pays for no deep reactivity.
import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowReactive } from 'vue'
import { openStatuses, type IncidentStatus, type IncidentSummary } from '../api'
import type { IncidentEventData } from '../live/events'

export type IncidentRow = Readonly<IncidentSummary & { action?: string; actor?: string }>

const open = new Set<IncidentStatus>(openStatuses)
export const isOpen = (status: IncidentStatus) => open.has(status)

export interface IncidentsOptions {
  /** Rows no longer open kept at most (the newest by update); the rest are dropped. */
  maxClosed: number
  /** Length of the ticker of newest reports. */
  tickerLength: number
}

export const useIncidentsStore = defineStore('incidents', () => {
  const byId = shallowReactive(new Map<number, IncidentRow>())
  /** Ids of the newest reports, newest first. */
  const ticker = ref<number[]>([])
  const lastChangeAt = ref<number | null>(null)
  const options: IncidentsOptions = { maxClosed: 1500, tickerLength: 40 }

  function configure(next: Partial<IncidentsOptions>): void {
    Object.assign(options, next)
  }

  /** Keeps the newer of the stored and the given row; true when the given one was taken. */
  function upsert(row: IncidentSummary | IncidentEventData): boolean {
    const current = byId.get(row.id)
    // A 督办 ordered or ended leaves the incident's version as it was: the same version with its
    // mark changed is news too.
    if (current && (current.version > row.version || (current.version === row.version && current.supervised === row.supervised))) return false
    byId.set(row.id, markRaw(Object.freeze({ ...row })) as IncidentRow)
    lastChangeAt.value = Date.now()
    return true
  }

  function noteReport(id: number, createdAt: string): void {
    if (ticker.value.includes(id)) return
    const list = [id, ...ticker.value]
    // Keep newest first by report time (a replay can deliver an older report after a newer load).
    list.sort((a, b) => Date.parse(byId.get(b)?.createdAt ?? createdAt) - Date.parse(byId.get(a)?.createdAt ?? createdAt) || b - a)
    ticker.value = list.slice(0, options.tickerLength)
  }

  function applyEvent(type: 'incident.created' | 'incident.updated', data: IncidentEventData): void {
    upsert(data)
    if (type === 'incident.created') noteReport(data.id, data.createdAt)
    prune()
  }

  /** A REST page merged in: newer versions win either way. `asReports` feeds the ticker. */
  function merge(rows: IncidentSummary[], asReports = false): void {
    for (const row of rows) {
      upsert(row)
      if (asReports) noteReport(row.id, row.createdAt)
    }
    prune()
  }

  /** Drops the oldest closed rows beyond `maxClosed`, never an open one and never one on the ticker. */
  function prune(): void {
    let closed = 0
    for (const row of byId.values()) if (!open.has(row.status)) closed++
    if (closed <= options.maxClosed) return
    const keep = new Set(ticker.value)
    const candidates = [...byId.values()]
      .filter((row) => !open.has(row.status) && !keep.has(row.id))
      .sort((a, b) => Date.parse(a.updatedAt ?? a.createdAt) - Date.parse(b.updatedAt ?? b.createdAt))
    for (const row of candidates.slice(0, closed - options.maxClosed)) byId.delete(row.id)
  }

  function clear(): void {
    byId.clear()
    ticker.value = []
  }

  const all = computed(() => [...byId.values()])
  const openRows = computed(() => all.value.filter((row) => open.has(row.status)))
  const tickerRows = computed(() => ticker.value.map((id) => byId.get(id)).filter((row): row is IncidentRow => !!row))

  return { byId, ticker, lastChangeAt, configure, upsert, applyEvent, merge, prune, clear, all, openRows, tickerRows }
})
