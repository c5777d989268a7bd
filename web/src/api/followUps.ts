// 满意度回访 (satisfaction follow-ups) after a case is closed (server: src/Dispatch.Server/FollowUps).
import { getJson, query, send, type Page } from './http'

export type FollowUpStatus = 'due' | 'done'
export type FollowUpResult = 'satisfied' | 'basic' | 'unsatisfied' | 'unreachable'
/** In the order the dialog offers them: 满意, 基本满意, 不满意, 联系不上. */
export const followUpResults: readonly FollowUpResult[] = ['satisfied', 'basic', 'unsatisfied', 'unreachable']

export interface FollowUp {
  id: number
  incidentId: number
  category: string
  description: string
  /** yyyy-MM-dd (Beijing) */
  dueOn: string
  status: FollowUpStatus
  result: FollowUpResult | null
  note: string | null
  doneBy: string | null
  doneAt: string | null
  /** The centre that closed the case. */
  centreCode: string
  /** In full for dispatchers and supervisors, masked for others — as the server decides. */
  reporterName: string | null
  reporterPhone: string | null
}

export type FollowUpPage = Page<FollowUp>

export interface FollowUpQuery {
  status?: FollowUpStatus
  regionCode?: string
  page?: number
  pageSize?: number
}

export function listFollowUps(filter: FollowUpQuery = {}, signal?: AbortSignal): Promise<FollowUpPage> {
  return getJson<FollowUpPage>(`/api/follow-ups?${query({ ...filter })}`, signal)
}

/** Once per follow-up (409 after); 'unsatisfied' reopens the closed case on the server. */
export async function recordFollowUp(id: number, result: FollowUpResult, note?: string): Promise<FollowUp> {
  return (await (await send(`/api/follow-ups/${id}`, { method: 'POST', json: { result, note } })).json()) as FollowUp
}

export interface FollowUpRate {
  code: string
  name: string
  level: string
  /** Recorded in the period, 联系不上 included. */
  answered: number
  satisfied: number
  basic: number
  unsatisfied: number
  unreachable: number
  /** (satisfied + basic) / (answered − unreachable); null when nobody was reached. */
  rate: number | null
}

export interface FollowUpRates {
  regionCode: string
  from: string
  to: string
  total: FollowUpRate
  regions: FollowUpRate[]
  centres: FollowUpRate[]
}

/** Beijing dates yyyy-MM-dd, `to` inclusive, at most 366 days; the last 30 days by default. */
export function followUpRates(filter: { from?: string; to?: string; regionCode?: string } = {}, signal?: AbortSignal): Promise<FollowUpRates> {
  return getJson<FollowUpRates>(`/api/follow-ups/rates?${query({ ...filter })}`, signal)
}

/** A rate as a percentage with one decimal, or a dash when nobody was reached. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}

/** Today's date in Beijing (yyyy-MM-dd), the calendar follow-ups are due by, whatever the browser's zone. */
export function beijingToday(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}
