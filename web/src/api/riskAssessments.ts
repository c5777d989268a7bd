// 一评 (社会稳定风险评估): the register of major decisions and projects (server: src/Dispatch.Server/RiskAssessments).
import { getJson, query, send, type Page } from './http'

export type RiskLevel = 'high' | 'medium' | 'low'
export type RiskResult = 'pending' | 'passed' | 'conditional' | 'failed'
export type RiskStatus = 'planned' | 'assessing' | 'in_progress' | 'completed' | 'suspended'
export const riskLevels: readonly RiskLevel[] = ['high', 'medium', 'low']
export const riskResults: readonly RiskResult[] = ['pending', 'passed', 'conditional', 'failed']
export const riskStatuses: readonly RiskStatus[] = ['planned', 'assessing', 'in_progress', 'completed', 'suspended']

export interface RiskKind {
  code: string
  name: string
  nameEn: string
}

export interface RiskAssessment {
  id: number
  kindCode: string
  kindName: string
  title: string
  description: string
  regionCode: string
  regionName: string
  lon: number | null
  lat: number | null
  responsibleUnit: string
  riskLevel: RiskLevel | null
  result: RiskResult
  status: RiskStatus
  /** Carried out (in_progress, completed) without a passed assessment (pending, failed): 未经评估即实施. */
  flagged: boolean
  /** The project's latest alert, open or closed. */
  alertId: number | null
  assessedAt: string | null
  assessedBy: string | null
  createdBy: string
  createdAt: string
  updatedAt: string
  version: number
}

export type RiskAssessmentPage = Page<RiskAssessment>

/** What POST and PUT take: the whole entry. */
export interface RiskAssessmentInput {
  kindCode: string
  title: string
  description: string
  regionCode: string
  position: { lon: number; lat: number } | null
  responsibleUnit: string
  riskLevel: RiskLevel | null
  result: RiskResult
  status: RiskStatus
}

export interface RiskAssessmentQuery {
  kind?: string
  status?: RiskStatus
  level?: RiskLevel
  result?: RiskResult
  regionCode?: string
  flagged?: boolean
  page?: number
  pageSize?: number
}

export function listRiskAssessments(filter: RiskAssessmentQuery = {}, signal?: AbortSignal): Promise<RiskAssessmentPage> {
  return getJson<RiskAssessmentPage>(`/api/risk-assessments?${query({ ...filter })}`, signal)
}

export function getRiskAssessment(id: number, signal?: AbortSignal): Promise<RiskAssessment> {
  return getJson<RiskAssessment>(`/api/risk-assessments/${id}`, signal)
}

export function riskKinds(signal?: AbortSignal): Promise<RiskKind[]> {
  return getJson<RiskKind[]>('/api/risk-assessments/kinds', signal)
}

export async function createRiskAssessment(input: RiskAssessmentInput): Promise<RiskAssessment> {
  return (await (await send('/api/risk-assessments', { method: 'POST', json: input })).json()) as RiskAssessment
}

/** On the version read (If-Match): a 412 means someone else changed it since. */
export async function updateRiskAssessment(id: number, version: number, input: RiskAssessmentInput): Promise<RiskAssessment> {
  return (await (await send(`/api/risk-assessments/${id}`, { method: 'PUT', json: input, headers: { 'If-Match': `"${version}"` } })).json()) as RiskAssessment
}

/** The entry as the form edits it. */
export function riskInput(r: RiskAssessment): RiskAssessmentInput {
  const { kindCode, title, description, regionCode, responsibleUnit, riskLevel, result, status } = r
  return { kindCode, title, description, regionCode, position: r.lon !== null && r.lat !== null ? { lon: r.lon, lat: r.lat } : null, responsibleUnit, riskLevel, result, status }
}
