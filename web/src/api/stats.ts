// The wall's figures (server: src/Dispatch.Server/Stats).
import type { RegionLevel } from '../api'
import { getJson } from './http'

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
  /** Rules' notices (三零 change, 一评 violation) not closed: counted apart from the alarms. */
  activeNotices: number
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
