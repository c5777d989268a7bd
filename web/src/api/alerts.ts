// Early-warning alerts (docs/api.md "Early warning"; server: src/Dispatch.Server/Alerts).
import { allPages, getJson, query, send, type Page } from './http'

export type AlertLevel = 'blue' | 'yellow' | 'orange' | 'red'
export type AlertStatus = 'raised' | 'acknowledged' | 'tasked' | 'closed'
export type AlertAction = 'acknowledge' | 'task' | 'close' | 'snooze'
/** What closing says of an alarm: it was real (属实), it was not (误报), nobody can tell (不确定). */
export type AlertDisposition = 'true' | 'false' | 'unsure'
export const alertDispositions: readonly AlertDisposition[] = ['true', 'false', 'unsure']
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
  /** While in the future the alert is silent on the wall: its own snooze or its region's. */
  snoozedUntil: string | null
  disposition: AlertDisposition | null
  /** When the task made from it ended (closed, cancelled or rejected): it waits for a disposition. */
  taskDoneAt: string | null
}

/** Whether an alert is snoozed at `now`. */
export const snoozed = (alert: Pick<AlertSummary, 'snoozedUntil'>, now = Date.now()): boolean =>
  alert.snoozedUntil !== null && Date.parse(alert.snoozedUntil) > now

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
  /** Where the signal is hottest; a task made from the alert goes there. */
  spot: { lon: number; lat: number } | null
  taskOutcome: string | null
  /** A developing event's findings, strongest first (one alert for what several detectors saw); null for an alert of one signal. */
  evidence: AlertFinding[] | null
}

export interface AlertFinding {
  detector: string
  level: AlertLevel
  regionCode: string
  grids: number
  summary: string
  observed: number | null
  expected: number | null
  score: number | null
  pValue: number | null
  from: string
  to: string
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
export async function alertTransition(
  id: number,
  version: number,
  body: { action: AlertAction; note?: string; categoryCode?: string; disposition?: AlertDisposition; hours?: number },
): Promise<Alert> {
  const headers = { 'If-Match': `"${version}"` }
  return (await (await send(`/api/alerts/${id}/transitions`, { method: 'POST', json: body, headers })).json()) as Alert
}

/** The alert as OASIS CAP 1.2. Same origin: a plain link carries the session cookie, as photos' links do. */
export const alertCapUrl = (id: number) => `/api/alerts/${id}.cap`

/** The CAP document's text: its area polygon is where the alert's grids are. */
export async function alertCap(id: number, signal?: AbortSignal): Promise<string> {
  return (await send(alertCapUrl(id), { signal, headers: { Accept: 'application/cap+xml' } })).text()
}

/** A detector's record over the last days: true alarms among those judged true or false. */
export interface DetectorPrecision {
  detector: string
  lane: AlertLane
  closed: number
  true: number
  false: number
  unsure: number
  precision: number | null
}

export interface AlertPrecision {
  days: number
  since: string
  detectors: DetectorPrecision[]
}

export function alertPrecision(days = 90, signal?: AbortSignal): Promise<AlertPrecision> {
  return getJson<AlertPrecision>(`/api/alerts/precision?days=${days}`, signal)
}

/** A snooze over a region: its alarms (of one detector, or all) stay silent on the wall until it ends. */
export interface AlertSnooze {
  id: number
  regionCode: string
  detector: string | null
  until: string
  reason: string
  createdBy: string
  createdAt: string
  alertsSnoozed: number
}

export function listAlertSnoozes(signal?: AbortSignal): Promise<AlertSnooze[]> {
  return getJson<AlertSnooze[]>('/api/alert-snoozes', signal)
}

export async function snoozeRegion(body: { regionCode: string; detector?: string; hours: number; reason: string }): Promise<AlertSnooze> {
  return (await (await send('/api/alert-snoozes', { method: 'POST', json: body })).json()) as AlertSnooze
}

export async function endRegionSnooze(id: number): Promise<void> {
  await send(`/api/alert-snoozes/${id}`, { method: 'DELETE' })
}
