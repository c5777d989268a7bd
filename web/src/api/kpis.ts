// 考核 figures over a period (server: src/Dispatch.Server/Kpis; docs/api.md, "KPIs").
import { getJson, query } from './http'

/** Every figure of a region, centre or the whole area over the period (definitions: docs/api.md). */
export interface KpiFigures {
  reported: number
  accepted: number
  acceptJudged: number
  acceptedOnTime: number
  acceptOnTimeRate: number | null
  resolved: number
  resolveJudged: number
  resolvedOnTime: number
  resolveOnTimeRate: number | null
  due: number
  dueMet: number
  dueRate: number | null
  reworks: number
  reworkRate: number | null
  responseMedianMinutes: number | null
  responseP90Minutes: number | null
  resolutionMedianMinutes: number | null
  resolutionP90Minutes: number | null
  supervised: number
  supervisedLate: number
  escalations: number
  handDowns: number
  /** 满意度回访 answered in the period (not 联系不上), those 满意 or 基本满意, and their share. */
  followUpsAnswered: number
  followUpsSatisfied: number
  satisfactionRate: number | null
  /** 走访覆盖: distinct households visited in the period (per grid), the grids' registered households, and their share. */
  visitedHouseholds: number
  registeredHouseholds: number
  visitCoverageRate: number | null
}

export interface KpiPeriod {
  /** yyyy-MM-dd, Beijing, inclusive. */
  from: string
  to: string
}

export interface KpiReport extends KpiPeriod {
  regionCode: string
  regionName: string
  asOf: string
  figures: KpiFigures
  children: { code: string; name: string; figures: KpiFigures }[]
}

export type RankMetric = 'dueRate' | 'acceptOnTimeRate' | 'resolveOnTimeRate' | 'reworkRate' | 'responseMedianMinutes' | 'resolutionMedianMinutes' | 'supervisedLate' | 'visitCoverageRate'
export const rankMetrics: readonly RankMetric[] = ['dueRate', 'acceptOnTimeRate', 'resolveOnTimeRate', 'reworkRate', 'responseMedianMinutes', 'resolutionMedianMinutes', 'supervisedLate', 'visitCoverageRate']

export interface Ranking extends KpiPeriod {
  level: 'district' | 'township' | 'village'
  metric: RankMetric
  regions: { rank: number | null; code: string; name: string; value: number | null; figures: KpiFigures }[]
}

/** The figures a drill-down lists the incidents of. */
export type KpiFigure = 'reported' | 'accepted' | 'acceptedLate' | 'resolved' | 'resolvedLate' | 'dueMissed' | 'reworks' | 'supervised' | 'supervisedLate' | 'escalations' | 'handDowns'

export interface KpiIncident {
  id: number
  categoryName: string
  priority: number
  status: string
  centreCode: string
  createdAt: string
  at: string
  dueAt: string | null
}

export function kpiReport(period: KpiPeriod, regionCode?: string, signal?: AbortSignal): Promise<KpiReport> {
  return getJson<KpiReport>(`/api/kpis?${query({ ...period, regionCode })}`, signal)
}

export function kpiRanking(period: KpiPeriod, metric: RankMetric, regionCode?: string, level?: Ranking['level'], signal?: AbortSignal): Promise<Ranking> {
  return getJson<Ranking>(`/api/kpis/ranking?${query({ ...period, metric, regionCode, level })}`, signal)
}

export function kpiIncidents(period: KpiPeriod, figure: KpiFigure, regionCode?: string, signal?: AbortSignal): Promise<KpiIncident[]> {
  return getJson<KpiIncident[]>(`/api/kpis/incidents?${query({ ...period, figure, regionCode })}`, signal)
}

const day = (d: Date) => `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`

/**
 * The periods a supervisor picks from, in Beijing days, as of `now`: this month so far, last month,
 * this quarter so far, this year so far.
 */
export function kpiPeriods(now: Date): Record<'month' | 'lastMonth' | 'quarter' | 'year', KpiPeriod> {
  // Beijing is UTC+8 all year: shifting by 8 hours makes the UTC fields Beijing's.
  const bj = new Date(now.getTime() + 8 * 3600_000)
  const y = bj.getUTCFullYear()
  const m = bj.getUTCMonth()
  const today = day(bj)
  return {
    month: { from: day(new Date(Date.UTC(y, m, 1))), to: today },
    lastMonth: { from: day(new Date(Date.UTC(y, m - 1, 1))), to: day(new Date(Date.UTC(y, m, 0))) },
    quarter: { from: day(new Date(Date.UTC(y, m - (m % 3), 1))), to: today },
    year: { from: day(new Date(Date.UTC(y, 0, 1))), to: today },
  }
}

/** A rate as a percentage with one decimal ("87.5%"), or a dash when there was nothing to judge. */
export function percent(rate: number | null): string {
  return rate === null ? '—' : `${(rate * 100).toFixed(1)}%`
}

/** Minutes as the supervisors read them: "45 分" below two hours, "3.5 小时" below two days, else days. */
export function duration(minutes: number | null, units: { minutes: string; hours: string; days: string }): string {
  if (minutes === null) return '—'
  if (minutes < 120) return `${Math.round(minutes)} ${units.minutes}`
  if (minutes < 2880) return `${(minutes / 60).toFixed(1)} ${units.hours}`
  return `${(minutes / 1440).toFixed(1)} ${units.days}`
}
