// Early-warning alerts (docs/api.md "Early warning"; server: src/Dispatch.Server/Alerts).
import { allPages, getJson, query, send, type Page } from './http'

export type AlertLevel = 'blue' | 'yellow' | 'orange' | 'red'
export type AlertStatus = 'raised' | 'acknowledged' | 'tasked' | 'closed'
export type AlertAction = 'acknowledge' | 'task' | 'close'
/** alarm — a statistical signal; notice — a rule that fired by definition (三零 change, 一评 violation). */
export type AlertLane = 'alarm' | 'notice'

export const alertLevels: readonly AlertLevel[] = ['blue', 'yellow', 'orange', 'red']
export const openAlertStatuses: readonly AlertStatus[] = ['raised', 'acknowledged', 'tasked']

/** What a list shows of an alert: the fields of its live events (`alert.raised` / `alert.updated`). */
export interface AlertSummary {
  id: number
  level: AlertLevel
  status: AlertStatus
  detector: string
  lane: AlertLane
  regionCode: string
  title: string
  summary: string
  raisedAt: string
  updatedAt: string
}

/** One alert with its evidence: which grids, observed against expected over the window, score and p-value. */
export interface Alert extends AlertSummary {
  levelName: string
  gridCodes: string[]
  observed: number | null
  expected: number | null
  score: number | null
  pValue: number | null
  windowFrom: string
  windowTo: string
  handledBy: string | null
  /** What was said with the last step (a close's reason, a task's instruction). */
  handledNote: string | null
  taskIncidentId: number | null
  closedAt: string | null
  version: number
}

export type AlertPage = Page<Alert>

export function listAlerts(filter: { status?: AlertStatus; regionCode?: string; page?: number; pageSize?: number } = {}, signal?: AbortSignal): Promise<AlertPage> {
  return getJson<AlertPage>(`/api/alerts?${query(filter)}`, signal)
}

/** Every page of one status, up to `limit` alerts. */
export async function listAllAlerts(status: AlertStatus, limit = 1000, signal?: AbortSignal): Promise<Alert[]> {
  return allPages((page, pageSize) => listAlerts({ status, page, pageSize }, signal), 200, limit)
}

export function getAlert(id: number, signal?: AbortSignal): Promise<Alert> {
  return getJson<Alert>(`/api/alerts/${id}`, signal)
}

/**
 * 409: not allowed from the current status; 412: someone acted on a newer version first. "task"
 * answers with `taskIncidentId`, the incident it created.
 */
export async function alertTransition(id: number, version: number, body: { action: AlertAction; note?: string; categoryCode?: string }): Promise<Alert> {
  const headers = { 'If-Match': `"${version}"` }
  return (await (await send(`/api/alerts/${id}/transitions`, { method: 'POST', json: body, headers })).json()) as Alert
}

/** The alert as OASIS CAP 1.2. Same origin: a plain link carries the session cookie, as photos' links do. */
export const alertCapUrl = (id: number) => `/api/alerts/${id}.cap`

/** The CAP document's text: its area polygon is where the alert's grids are. */
export async function alertCap(id: number, signal?: AbortSignal): Promise<string> {
  return (await send(alertCapUrl(id), { signal, headers: { Accept: 'application/cap+xml' } })).text()
}
