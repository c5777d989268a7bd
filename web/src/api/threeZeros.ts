// The 三零 board (server: src/Dispatch.Server/ThreeZeros): villages and registered units with their
// petitions beyond the township, major accidents and criminal cases per month, quarter or year.
import { getJson, query } from './http'

/** The query string, with its '?' when there is one. */
function qs(values: object): string {
  const text = query(values).toString()
  return text ? `?${text}` : ''
}

export type ThreeZeroPeriodKind = 'month' | 'quarter' | 'year'
export type ThreeZeroFigure = 'petitions' | 'accidents' | 'criminal'

export interface ThreeZeroVillage {
  code: string
  name: string
  townshipCode: string
  townshipName: string
  petitions: number
  majorAccidents: number
  criminalCases: number
  zero: boolean
  /** 1 = best: zero villages first, then fewest in all, ties by code. */
  rank: number
}

export interface ThreeZeroBoard {
  regionCode: string
  period: ThreeZeroPeriodKind
  /** First and last day of the period, Beijing dates (yyyy-MM-dd). */
  from: string
  to: string
  totals: { villages: number; zeroVillages: number; petitions: number; majorAccidents: number; criminalCases: number }
  villages: ThreeZeroVillage[]
}

export interface ThreeZeroIncident {
  id: number
  figure: ThreeZeroFigure
  category: string
  categoryName: string
  priority: number
  createdAt: string
  status: string
  level: string
  description: string
}

export interface ThreeZeroVillageIncidents {
  villageCode: string
  villageName: string
  period: ThreeZeroPeriodKind
  from: string
  to: string
  figure: ThreeZeroFigure | null
  incidents: ThreeZeroIncident[]
}

export interface ThreeZeroHistory {
  regionCode: string
  period: ThreeZeroPeriodKind
  periods: { from: string; to: string; villages: number; zeroVillages: number }[]
}

export interface ThreeZeroUnit {
  code: string
  name: string
  kind: string
  villageCode: string
  villageName: string
  lon: number
  lat: number
  registeredAt: string
  petitions: number
  majorAccidents: number
  criminalCases: number
  zero: boolean
  rank: number
}

export interface ThreeZeroQuery {
  period?: ThreeZeroPeriodKind
  /** A day of the period, yyyy-MM-dd; today when absent. */
  at?: string
  regionCode?: string
}

export const threeZeros = {
  board: (q: ThreeZeroQuery = {}, signal?: AbortSignal) => getJson<ThreeZeroBoard>(`/api/three-zeros${qs(q)}`, signal),
  incidents: (villageCode: string, q: ThreeZeroQuery & { figure?: ThreeZeroFigure } = {}, signal?: AbortSignal) =>
    getJson<ThreeZeroVillageIncidents>(`/api/three-zeros/${encodeURIComponent(villageCode)}/incidents${qs(q)}`, signal),
  history: (q: ThreeZeroQuery & { count?: number } = {}, signal?: AbortSignal) =>
    getJson<ThreeZeroHistory>(`/api/three-zeros/history${qs(q)}`, signal),
  units: (q: ThreeZeroQuery = {}, signal?: AbortSignal) => getJson<{ units: ThreeZeroUnit[] }>(`/api/three-zeros/units${qs(q)}`, signal),
  /** Village polygons with `zero` and the figures, as GeoJSON: the map layer. */
  mapUrl: (q: ThreeZeroQuery = {}) => `/api/three-zeros/map${qs(q)}`,
}
