// Case conferences (一评四会) and hand-downs (交办) (server: src/Dispatch.Server/Conferences).
import { getJson, query, send } from './http'
import type { IncidentStatus } from './incidents'

export type ConferenceStatus = 'planned' | 'held'
export type ConferenceKind = '说事评理会' | '综治联席会' | '评议会商会' | '分析研判会'
export type ConferenceDecision = 'settle' | 'hand_down' | 'escalate' | 'close'
export const conferenceDecisions: readonly ConferenceDecision[] = ['settle', 'hand_down', 'escalate', 'close']

export interface ConferenceSummary {
  id: number
  centreCode: string
  centreName: string
  level: string
  kind: ConferenceKind
  title: string
  scheduledAt: string
  status: ConferenceStatus
  /** How many cases are on the agenda, and how many of them are decided. */
  items: number
  decided: number
}

/** 交办: to the centre below, with instructions and a deadline; `reported` once that centre reports it done. */
export interface HandDown {
  id: number
  incidentId: number
  fromCentre: string
  toCentre: string
  toCentreName: string
  instructions: string
  deadline: string
  status: 'open' | 'reported'
  reportedAt: string | null
  report: string | null
}

export interface AgendaItem {
  incidentId: number
  categoryName: string
  description: string
  status: IncidentStatus
  centreCode: string
  /** The centre whose escalation brought the case here, why, and how (`by_hand`, `overdue`, …). */
  escalatedFrom: string | null
  escalationReason: string | null
  escalationCause: string | null
  decision: ConferenceDecision | null
  note: string | null
  decidedBy: string | null
  decidedAt: string | null
  handDown: HandDown | null
}

export interface Conference extends Omit<ConferenceSummary, 'items' | 'decided'> {
  attendees: string[]
  minutes: string | null
  createdBy: string
  heldAt: string | null
  version: number
  items: AgendaItem[]
}

export interface NewConference {
  title?: string
  scheduledAt?: string
  attendees?: string[]
  incidentIds?: number[]
}

export interface DecisionBody {
  incidentId: number
  decision: ConferenceDecision
  /** The conference's reasoning; required. For a hand-down, the instructions. */
  note: string
  /** For hand_down: by when the centre below is to report it done (ISO with offset). */
  deadline?: string
}

export function listConferences(centreCode?: string, signal?: AbortSignal): Promise<ConferenceSummary[]> {
  return getJson<ConferenceSummary[]>(`/api/conferences?${query({ centreCode })}`, signal)
}

export function getConference(id: number, signal?: AbortSignal): Promise<Conference> {
  return getJson<Conference>(`/api/conferences/${id}`, signal)
}

/** The signed-in centre calls its conference; the agenda starts with the cases escalated to it. */
export async function createConference(body: NewConference): Promise<Conference> {
  return (await (await send('/api/conferences', { method: 'POST', json: body })).json()) as Conference
}

export async function addAgendaItem(id: number, incidentId: number): Promise<Conference> {
  return (await (await send(`/api/conferences/${id}/items`, { method: 'POST', json: { incidentId } })).json()) as Conference
}

/** The decision is the incident's own step: 409 when its status does not allow it, 403 for another centre. */
export async function decide(id: number, body: DecisionBody): Promise<Conference> {
  return (await (await send(`/api/conferences/${id}/decisions`, { method: 'POST', json: body })).json()) as Conference
}

/** The minutes: the conference is then held. */
export async function recordMinutes(id: number, text: string, attendees?: string[]): Promise<Conference> {
  return (await (await send(`/api/conferences/${id}/minutes`, { method: 'POST', json: { text, attendees } })).json()) as Conference
}

/** What was handed down to (or by) the centres of the caller's area, open ones first. */
export function listHandDowns(status?: HandDown['status'], signal?: AbortSignal): Promise<HandDown[]> {
  return getJson<HandDown[]>(`/api/hand-downs?${query({ status })}`, signal)
}
