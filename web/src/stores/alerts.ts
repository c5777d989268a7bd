// Early-warning alerts a screen lists, kept current by REST loads and `alert.raised` /
// `alert.updated` events. Alert events carry no version, so order decides: events arrive in `seq`
// order and always apply; a REST row replaces the stored one only if it is not older (`updatedAt`,
// to the microsecond). A reload that read a row before its latest event cannot roll it back; one
// that read it after an event still in flight is overwritten by that event, then by the next.
import { defineStore } from 'pinia'
import { computed, markRaw, shallowReactive } from 'vue'
import { alertLevels, type AlertSummary } from '../api'

export type AlertRow = Readonly<AlertSummary>

/** Microseconds since the epoch of an ISO 8601 time; the server writes up to six fractional digits, Date.parse keeps three. */
export function micros(iso: string): number {
  const fraction = /\.(\d+)/.exec(iso)?.[1] ?? ''
  return Date.parse(iso) * 1000 + Number((fraction + '000000').slice(3, 6))
}

/** Red first, then orange, yellow, blue; within a level the most recently changed first. */
export function byUrgency(a: AlertRow, b: AlertRow): number {
  return alertLevels.indexOf(b.level) - alertLevels.indexOf(a.level) || micros(b.updatedAt) - micros(a.updatedAt) || b.id - a.id
}

/** The fields of a list row only: a full alert from REST carries evidence and a version the row must not pretend to keep current. */
function row(alert: AlertSummary): AlertRow {
  const { id, level, status, detector, lane, regionCode, title, summary, raisedAt, updatedAt, snoozedUntil, disposition, taskDoneAt } = alert
  return markRaw(
    Object.freeze({
      id, level, status, detector, lane, regionCode, title, summary, raisedAt, updatedAt,
      // An event from a server before migration 0030 has none of these.
      snoozedUntil: snoozedUntil ?? null, disposition: disposition ?? null, taskDoneAt: taskDoneAt ?? null,
    }),
  )
}

export const useAlertsStore = defineStore('alerts', () => {
  const byId = shallowReactive(new Map<number, AlertRow>())
  /** When each row was last written, on a counter of writes: what a reload may drop. */
  const written = new Map<number, number>()
  let writes = 0
  let limit = Infinity

  function put(alert: AlertSummary): void {
    byId.set(alert.id, row(alert))
    written.set(alert.id, ++writes)
    if (byId.size > limit) trim()
  }

  /**
   * A screen that follows events without ever reloading (the wall, for days) bounds what it keeps:
   * beyond `count` rows, those changed longest ago go.
   */
  function keepAtMost(count: number): void {
    limit = count
    trim()
  }

  function trim(): void {
    const excess = byId.size - limit
    if (excess <= 0) return
    const oldest = [...byId.values()].sort((a, b) => micros(a.updatedAt) - micros(b.updatedAt) || a.id - b.id).slice(0, excess)
    for (const { id } of oldest) {
      byId.delete(id)
      written.delete(id)
    }
  }

  function applyEvent(data: AlertSummary): void {
    put(data)
  }

  /** Keeps the stored row when it changed later than the given one; true when the given one was taken. */
  function upsert(alert: AlertSummary): boolean {
    const current = byId.get(alert.id)
    if (current && micros(current.updatedAt) > micros(alert.updatedAt)) return false
    put(alert)
    return true
  }

  /** Call before a reload's requests; hand the answer to `replace` with it. */
  function mark(): number {
    return writes
  }

  /**
   * A reload: the rows REST gave, and no others — except those an event wrote after `since`
   * (an alert raised while the reload was on its way is not in its answer, and stays).
   */
  function replace(alerts: AlertSummary[], since: number): void {
    const loaded = new Set(alerts.map((a) => a.id))
    for (const id of [...byId.keys()])
      if (!loaded.has(id) && (written.get(id) ?? 0) <= since) {
        byId.delete(id)
        written.delete(id)
      }
    alerts.forEach(upsert)
  }

  const all = computed(() => [...byId.values()])
  const open = computed(() => all.value.filter((a) => a.status !== 'closed').sort(byUrgency))
  /** Not looked at yet: raised, not acknowledged, tasked or closed. */
  const unhandled = computed(() => open.value.filter((a) => a.status === 'raised'))

  return { byId, applyEvent, upsert, mark, replace, keepAtMost, all, open, unhandled }
})
