// 回访 (return visits) after a mediated dispute (server: src/Dispatch.Server/Mediation).
import { getJson, query, send } from './http'

export type VisitStatus = 'due' | 'done'
export type VisitFinding = 'settled' | 'alive'

export interface MediationVisit {
  id: number
  incidentId: number
  categoryName: string
  description: string
  /** The visit is the one N days after the mediation (第 N 天回访). */
  afterDays: number
  /** yyyy-MM-dd */
  dueOn: string
  staffCode: string | null
  status: VisitStatus
  finding: VisitFinding | null
  note: string | null
  doneBy: string | null
  doneAt: string | null
}

/** For a field account, its own visits. */
export function mediationVisits(status?: VisitStatus, signal?: AbortSignal): Promise<MediationVisit[]> {
  return getJson<MediationVisit[]>(`/api/mediation-visits?${query({ status })}`, signal)
}

/** 'alive' (纠纷仍在) reopens the case on the server. */
export async function recordVisit(id: number, finding: VisitFinding, note?: string): Promise<MediationVisit> {
  return (await send(`/api/mediation-visits/${id}`, { method: 'POST', json: { finding, note } })).json() as Promise<MediationVisit>
}

/** A visit's due date against today's (both yyyy-MM-dd, which compare as strings). */
export function visitUrgency(dueOn: string, today: string): 'over' | 'today' | 'ahead' {
  return dueOn < today ? 'over' : dueOn === today ? 'today' : 'ahead'
}

/** Today as yyyy-MM-dd on the phone's own calendar. */
export function localDate(at: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`
}

export type MediationOutcome = 'agreement' | 'failed'
export type MediatedBy = 'people' | 'administrative' | 'judicial' | 'industry'
export const mediatedByKinds: readonly MediatedBy[] = ['people', 'administrative', 'judicial', 'industry']

export interface MediationRecord {
  incidentId: number
  outcome: MediationOutcome
  mediatedBy: MediatedBy
  mediatedByName: string
  note: string | null
  recordedBy: string
  recordedAt: string
  /** yyyy-MM-dd of the return visits an agreement sets. */
  visitsDue: string[]
}

/** A dispute case on scene or resolved may be recorded once (409 after, or out of step). */
export function mayRecordMediation(incident: { categoryCode: string; status: string }): boolean {
  return incident.categoryCode.startsWith('dispute') && (incident.status === 'on_scene' || incident.status === 'resolved')
}

export interface MediationBody {
  outcome: MediationOutcome
  mediatedBy: MediatedBy
  note?: string
}

export async function recordMediation(incidentId: number, body: MediationBody): Promise<MediationRecord> {
  return (await (await send(`/api/incidents/${incidentId}/mediation`, { method: 'POST', json: body })).json()) as MediationRecord
}

/** The mediation recorded on a case (404 while none is). */
export function getMediation(incidentId: number, signal?: AbortSignal): Promise<MediationRecord> {
  return getJson<MediationRecord>(`/api/incidents/${incidentId}/mediation`, signal)
}
