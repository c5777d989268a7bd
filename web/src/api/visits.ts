// 大走访 (server: src/Dispatch.Server/Visits): visits logged from the phone, the problems they found
// (each one step from an incident), coverage per grid and period, the registered household counts.
import type { Incident } from './incidents'
import { getJson, query, send, type Page } from './http'

export type FieldVisitKind = 'household' | 'place'
export const fieldVisitKinds: readonly FieldVisitKind[] = ['household', 'place']

export interface FieldVisitProblem {
  /** 0-based, in the order logged: the index of the incident route. */
  index: number
  description: string
  /** The incident made from it (转为事件), if any. */
  incidentId: number | null
}

export interface FieldVisit {
  id: number
  gridCode: string
  staffCode: string
  kind: FieldVisitKind
  /** A door number or a place's name — never a person's name. */
  key: string
  lon: number
  lat: number
  notes: string | null
  visitedAt: string
  createdAt: string
  problems: FieldVisitProblem[]
}

export interface NewFieldVisit {
  kind: FieldVisitKind
  key: string
  lon: number
  lat: number
  notes?: string
  /** When the visit was made (ISO); the phone may send it later. */
  visitedAt?: string
  /** The outbox item's key: a resend answers the first visit. */
  clientKey: string
  problems: { description: string }[]
}

/** 201 for a new visit, 200 with the stored one for a resend of the same client key. */
export async function logVisit(body: NewFieldVisit): Promise<FieldVisit> {
  return (await (await send('/api/visits', { method: 'POST', json: body })).json()) as FieldVisit
}

export interface FieldVisitQuery {
  regionCode?: string
  staffCode?: string
  /** yyyy-MM-dd, Beijing, inclusive; this month so far when absent. */
  from?: string
  to?: string
  page?: number
  pageSize?: number
}

/** A field account's own visits; a centre's or supervisor's area's. The latest first. */
export function listFieldVisits(filter: FieldVisitQuery = {}, signal?: AbortSignal): Promise<Page<FieldVisit>> {
  return getJson<Page<FieldVisit>>(`/api/visits?${query({ ...filter })}`, signal)
}

/** 转为事件: the incident made from a visit's problem — the same one when asked again. */
export async function visitProblemToIncident(visitId: number, index: number, categoryCode: string, priority?: number): Promise<Incident> {
  return (await (await send(`/api/visits/${visitId}/problems/${index}/incident`, { method: 'POST', json: { categoryCode, priority } })).json()) as Incident
}

export interface CoverageRow {
  code: string
  name: string
  level: 'grid' | 'village' | 'township' | 'district' | 'city'
  /** Distinct door numbers of household visits in the period, counted per grid. */
  visitedHouseholds: number
  registeredHouseholds: number
  /** visited ÷ registered; null when nothing is registered. */
  rate: number | null
}

export interface VisitCoverage {
  regionCode: string
  regionName: string
  from: string
  to: string
  total: CoverageRow
  /** The grids of a township or village; the child regions above that. */
  rows: CoverageRow[]
}

export interface CoverageQuery {
  regionCode?: string
  from?: string
  to?: string
}

export function visitCoverage(q: CoverageQuery = {}, signal?: AbortSignal): Promise<VisitCoverage> {
  return getJson<VisitCoverage>(`/api/visits/coverage?${query({ ...q })}`, signal)
}

/** The same rows as polygons with their figures (GeoJSON): the map layer. */
export function visitCoverageMapUrl(q: CoverageQuery = {}): string {
  return `/api/visits/coverage/map?${query({ ...q })}`
}

/** Administrators: a grid's registered household count. */
export async function setGridHouseholds(gridCode: string, households: number): Promise<{ gridCode: string; households: number }> {
  return (await (await send(`/api/grids/${encodeURIComponent(gridCode)}/households`, { method: 'PUT', json: { households } })).json()) as {
    gridCode: string
    households: number
  }
}

/** The coverage band a rate falls in, for the map's and the list's colours. */
export function coverageBand(rate: number | null): 'none' | 'low' | 'mid' | 'high' {
  if (rate === null) return 'none'
  return rate >= 0.8 ? 'high' : rate >= 0.4 ? 'mid' : 'low'
}
