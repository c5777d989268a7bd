// Incidents, their categories, recommendations and photos (docs/api.md "Incidents"; server: src/Dispatch.Server/Incidents).
import { allPages, getJson, query, send, type Page } from './http'

export type IncidentStatus =
  | 'reported' | 'accepted' | 'rejected' | 'dispatched' | 'acknowledged' | 'on_scene'
  | 'resolved' | 'verified' | 'closed' | 'escalated' | 'cancelled'

export type IncidentAction =
  | 'accept' | 'reject' | 'dispatch' | 'acknowledge' | 'decline' | 'arrive' | 'resolve'
  | 'verify' | 'rework' | 'close' | 'escalate' | 'reopen' | 'cancel' | 'pull_up'
  | 'hand_down' | 'report_done' | 'relocate' | 'merge' | 'transfer'

/** Where a case is handled: the responsible 综治中心's level (its code's length says the same). */
export type IncidentLevel = 'village' | 'township' | 'district' | 'city'

export const openStatuses: readonly IncidentStatus[] = ['reported', 'accepted', 'dispatched', 'acknowledged', 'on_scene', 'escalated']
/** Work done or ended: handled on scene (resolved, verified), closed, or not taken up. */
export const finishedStatuses: readonly IncidentStatus[] = ['resolved', 'verified', 'closed', 'rejected', 'cancelled']

export type StaffKind = 'grid_worker' | 'police' | 'legal_adviser' | 'mediator'

/** A row of a list (`GET /api/incidents`): what a queue, a map or a ticker shows. */
export interface IncidentSummary {
  id: number
  status: IncidentStatus
  categoryCode: string
  categoryName: string
  priority: number
  description: string
  lon: number
  lat: number
  gridCode: string
  villageCode: string
  townshipCode: string
  districtCode: string
  level: IncidentLevel
  /**
   * The responsible 综治中心, by its region's code (12 digits a village, 9 a township, 6 a district,
   * "410600" the city): the only centre that takes dispatcher steps on the case.
   */
  centreCode: string
  duplicateOf: number | null
  version: number
  createdAt: string
  /** The current stage's deadline (to accept, to be on scene, to resolve). */
  dueAt: string | null
  /** When 80 % of the current stage's time has passed: the console and the field app turn amber. */
  warnAt: string | null
  /** Under an open 督办 (supervision order not yet done). */
  supervised: boolean
  /** Present on rows that came from a live event. */
  updatedAt?: string
}

export interface Assignment {
  id: number
  staffId: number
  staffCode: string
  staffName: string
  role: StaffKind
  status: 'pending' | 'acknowledged' | 'declined' | 'replaced' | 'released'
  assignedAt: string
  respondedAt: string | null
  /** When the centres were told this member was still silent past the acknowledge time (assignment.unacknowledged). */
  ackWarnedAt: string | null
}

export interface TimelineEntry {
  at: string
  actor: string
  action: string
  fromStatus: string | null
  toStatus: IncidentStatus
  note: string | null
  lon: number | null
  lat: number | null
}

export interface Incident extends IncidentSummary {
  /** The responsible centre's region name ("城西社区居民委员会"); screens append 综治中心. */
  centreName: string
  source: string
  reporterName: string | null
  reporterPhone: string | null
  createdBy: string
  updatedAt: string
  assignments: Assignment[]
  timeline: TimelineEntry[]
}

export type IncidentPage = Page<IncidentSummary>

export interface Category {
  code: string
  name: string
  nameEn: string
  parentCode: string | null
  priority: number
  sla: { acceptMinutes: number; arriveMinutes: number; resolveMinutes: number; workingHours: boolean }
  roles: StaffKind[]
}

export interface Candidate {
  staffId: number
  staffCode: string
  name: string
  kind: StaffKind
  gridCode: string
  distanceMetres: number
  fromLastPosition: boolean
  reason: string
}

export interface RoleRecommendation {
  role: StaffKind
  roleName: string
  recommended: Candidate | null
  alternatives: Candidate[]
}

export interface Photo {
  id: number
  contentType: string
  bytes: number
  uploadedBy: string
  uploadedAt: string
  url: string
}

export type IncidentSource = 'grid_worker' | 'hotline' | 'walk_in' | 'police_transfer' | 'online'
export const incidentSources: readonly IncidentSource[] = ['hotline', 'police_transfer', 'walk_in', 'grid_worker', 'online']

export type PartyRole = 'applicant' | 'respondent' | 'other'

/** A 当事人 as recorded: ID number and phone optional. */
export interface NewParty {
  role: PartyRole
  name: string
  idNumber?: string
  phone?: string
}

/** A 当事人 as read back: whole for dispatchers and supervisors, masked for everyone else. */
export interface Party {
  id: number
  role: PartyRole
  name: string
  idNumber: string | null
  phone: string | null
}

export interface Parties {
  incidentId: number
  /** An earlier case between the same parties (within 90 days), when there is one. */
  linkedTo: number | null
  parties: Party[]
}

export interface NewIncident {
  categoryCode: string
  description: string
  lon: number
  lat: number
  priority?: number
  source?: IncidentSource
  reporterName?: string
  reporterPhone?: string
  /** At most 20; a bad field comes back named, e.g. `parties[1].phone`. */
  parties?: NewParty[]
}

export interface TransitionBody {
  action: IncidentAction
  /** Required (the reason) for escalate and pull_up, the instructions for hand_down; at most 2,000 characters. For report_done, the report. */
  note?: string
  staffIds?: number[]
  /** For hand_down (交办): by when the centre below is to report it done (ISO with offset). */
  deadline?: string
  lon?: number
  lat?: number
}

export interface ListQuery {
  status?: IncidentStatus
  categoryCode?: string
  regionCode?: string
  since?: string
  /** Open incidents past their current deadline only, the most overdue first. */
  overdue?: boolean
  page?: number
  pageSize?: number
}

export function listIncidents(filter: ListQuery = {}, signal?: AbortSignal): Promise<IncidentPage> {
  return getJson<IncidentPage>(`/api/incidents?${query(filter)}`, signal)
}

/** Every page of a query, up to `limit` rows (a wall must not ask for the whole history). */
export async function listAllIncidents(filter: ListQuery, limit = 5000, signal?: AbortSignal): Promise<IncidentSummary[]> {
  return allPages((page, pageSize) => listIncidents({ ...filter, page, pageSize }, signal), 500, limit)
}

export function getIncident(id: number, signal?: AbortSignal): Promise<Incident> {
  return getJson<Incident>(`/api/incidents/${id}`, signal)
}

/**
 * 201 with the incident; the same `idempotencyKey` and body again give the same incident. Null for
 * 202: taken, but outside what the reporter may read (a field worker reporting beyond their grid).
 */
export async function createIncident(body: NewIncident, idempotencyKey?: string): Promise<Incident | null> {
  const headers: Record<string, string> = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {}
  const response = await send('/api/incidents', { method: 'POST', json: body, headers })
  return response.status === 202 ? null : ((await response.json()) as Incident)
}

/** 409: not allowed from the current status; 412: someone acted on a newer version first. */
export async function transition(id: number, version: number, body: TransitionBody): Promise<Incident> {
  const headers = { 'If-Match': `"${version}"` }
  return (await (await send(`/api/incidents/${id}/transitions`, { method: 'POST', json: body, headers })).json()) as Incident
}

export function recommendations(id: number, signal?: AbortSignal): Promise<RoleRecommendation[]> {
  return getJson<RoleRecommendation[]>(`/api/incidents/${id}/recommendations`, signal)
}

export function listPhotos(id: number, signal?: AbortSignal): Promise<Photo[]> {
  return getJson<Photo[]>(`/api/incidents/${id}/photos`, signal)
}

export async function uploadPhoto(id: number, file: Blob, name = 'photo.jpg'): Promise<Photo> {
  const form = new FormData()
  form.append('file', file, name)
  return (await (await send(`/api/incidents/${id}/photos`, { method: 'POST', form })).json()) as Photo
}

export function getParties(id: number, signal?: AbortSignal): Promise<Parties> {
  return getJson<Parties>(`/api/incidents/${id}/parties`, signal)
}

export function categories(signal?: AbortSignal): Promise<Category[]> {
  return getJson<Category[]>('/api/categories', signal)
}
