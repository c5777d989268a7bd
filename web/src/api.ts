// Typed access to the server's HTTP API (see docs/API.md). Same origin only: the app is served by
// the server it talks to, and `npm run dev` proxies these paths. The session is an HttpOnly cookie
// the server sets at sign-in, which fetch sends with every same-origin request (tiles included).
// The HTTP core is api/http.ts; alerts are api/alerts.ts; both are re-exported here.
import { allPages, getJson, query, send, type Page } from './api/http'

export { ApiError, onUnauthorized, reportUnauthorized, type ProblemDetails } from './api/http'
export * from './api/alerts'

export type RegionLevel = 'city' | 'district' | 'township' | 'village' | 'grid'

export interface RegionRef {
  code: string
  name: string
  level: RegionLevel
}

export interface Region extends RegionRef {
  parentCode: string | null
  children: RegionRef[]
}

export interface LocateResult {
  gridCode: string
  villageCode: string
  townshipCode: string
  districtCode: string
}

export type Role = 'admin' | 'dispatcher' | 'supervisor' | 'field' | 'wall' | 'auditor'

export interface User {
  username: string
  displayName: string
  roles: Role[]
  /** The region the account works for: the city, a district, or a field worker's grid. */
  regionCode: string
}

export interface SignInResult {
  /** For clients that cannot use the cookie; in the browser, only the realtime hub may want it. */
  token: string
  expiresAt: string
  user: User
}

/** 401 for a wrong name or password; 423 or 429 while the account is locked (`detail` says until when). */
export async function signIn(username: string, password: string): Promise<SignInResult> {
  const response = await send('/api/auth/login', { method: 'POST', json: { username, password } })
  return (await response.json()) as SignInResult
}

export async function signOut(): Promise<void> {
  await send('/api/auth/logout', { method: 'POST' })
}

/** The signed-in user; 401 without a session. */
export function me(signal?: AbortSignal): Promise<User> {
  return getJson<User>('/api/auth/me', signal)
}

export function getRegion(code: string, signal?: AbortSignal): Promise<Region> {
  return getJson<Region>(`/api/regions/${encodeURIComponent(code)}`, signal)
}

/** Which grid, village, township and district contain a point; 422 outside the city. */
export function locate(lon: number, lat: number, signal?: AbortSignal): Promise<LocateResult> {
  return getJson<LocateResult>(`/api/locate?${query({ lon, lat })}`, signal)
}

// ---- Incidents (API.md "Incidents") ----------------------------------------------------------

export type IncidentStatus =
  | 'reported' | 'accepted' | 'rejected' | 'dispatched' | 'acknowledged' | 'on_scene'
  | 'resolved' | 'verified' | 'closed' | 'escalated' | 'cancelled'

export type IncidentAction =
  | 'accept' | 'reject' | 'dispatch' | 'acknowledge' | 'decline' | 'arrive' | 'resolve'
  | 'verify' | 'rework' | 'close' | 'escalate' | 'reopen' | 'cancel'

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
  level: string
  duplicateOf: number | null
  version: number
  createdAt: string
  dueAt: string | null
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

export interface NewIncident {
  categoryCode: string
  description: string
  lon: number
  lat: number
  priority?: number
  source?: 'grid_worker' | 'hotline' | 'walk_in' | 'police_transfer' | 'online'
  reporterName?: string
  reporterPhone?: string
}

export interface TransitionBody {
  action: IncidentAction
  note?: string
  staffIds?: number[]
  lon?: number
  lat?: number
}

export interface ListQuery {
  status?: IncidentStatus
  categoryCode?: string
  regionCode?: string
  since?: string
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

export function categories(signal?: AbortSignal): Promise<Category[]> {
  return getJson<Category[]>('/api/categories', signal)
}

// ---- Staff positions (docs/live-events.md "Staff positions") -------------------------------

export interface StaffPosition {
  staffId: number
  code: string
  name: string
  kind: StaffKind
  status: 'available' | 'busy' | 'off_duty'
  lon: number
  lat: number
  /** When the person last reported a position; null: never (the position is their service point). */
  at: string | null
}

export function staffPositions(signal?: AbortSignal): Promise<StaffPosition[]> {
  return getJson<StaffPosition[]>('/api/staff/positions', signal)
}

/** From a field account; 429 more often than every 5 s. */
export async function reportPosition(lon: number, lat: number, accuracy?: number): Promise<void> {
  await send('/api/staff/me/position', { method: 'POST', json: { lon, lat, accuracy } })
}

// ---- Wall figures (server: src/Dispatch.Server/Stats) ----------------------------------------

export interface Kpis {
  regionCode: string
  asOf: string
  dayStart: string
  reportedToday: number
  closedToday: number
  resolvedToday: number
  onTimeRate: number | null
  open: number
  overdue: number
  /** Early-warning alerts of the region not closed yet. */
  activeAlerts: number
}

export interface TrendPoint {
  start: string
  reported: number
  closed: number
}

export interface Trends {
  regionCode: string
  asOf: string
  hourly: TrendPoint[]
  daily: TrendPoint[]
}

export interface Breakdown {
  regionCode: string
  asOf: string
  since: string
  categories: { code: string; name: string; nameEn: string; reported: number }[]
  regions: { code: string; name: string; level: RegionLevel; reported: number; open: number; overdue: number }[]
}

export const stats = {
  kpis: (signal?: AbortSignal) => getJson<Kpis>('/api/stats/kpis', signal),
  trends: (signal?: AbortSignal) => getJson<Trends>('/api/stats/trends', signal),
  breakdown: (days = 7, signal?: AbortSignal) => getJson<Breakdown>(`/api/stats/breakdown?days=${days}`, signal),
}

