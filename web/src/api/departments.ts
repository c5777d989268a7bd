// 多部门联动: a case handed to a functional department (server: src/Dispatch.Server/Departments).
import { getJson, query, send } from './http'

export interface Department {
  code: string
  name: string
  nameEn: string
}

export type DepartmentTaskStatus = 'assigned' | 'accepted' | 'returned' | 'reported' | 'verified'

export interface DepartmentTask {
  id: number
  incidentId: number
  categoryName: string
  description: string
  departmentCode: string
  departmentName: string
  /** The centre that handed the case over, which verifies the result. */
  fromCentre: string
  instructions: string
  deadline: string
  status: DepartmentTaskStatus
  /** Why the department returned it (or why the centre sent the result back). */
  reason: string | null
  result: string | null
  createdBy: string
  createdAt: string
  acceptedAt: string | null
  reportedAt: string | null
  verifiedAt: string | null
  late: boolean
  version: number
}

export function listDepartments(signal?: AbortSignal): Promise<Department[]> {
  return getJson<Department[]>('/api/departments', signal)
}

export function listDepartmentTasks(filter: { incidentId?: number; status?: DepartmentTaskStatus } = {}, signal?: AbortSignal): Promise<DepartmentTask[]> {
  return getJson<DepartmentTask[]>(`/api/departments/tasks?${query(filter)}`, signal)
}

/** 交部门办理, by the responsible centre; `deadline` is ISO 8601 with an offset. */
export async function handToDepartment(incidentId: number, body: { departmentCode: string; instructions: string; deadline: string }): Promise<DepartmentTask> {
  return (await (await send(`/api/incidents/${incidentId}/departments`, { method: 'POST', json: body })).json()) as DepartmentTask
}

export type DepartmentAnswer = 'accept' | 'return' | 'report'

/** The department's answer: 签收, 退回 (note = the reason), 反馈结果 (note = the result). */
export async function answerDepartmentTask(id: number, answer: DepartmentAnswer, note?: string): Promise<DepartmentTask> {
  return (await (await send(`/api/departments/tasks/${id}/${answer}`, { method: 'POST', json: answer === 'accept' ? {} : { note } })).json()) as DepartmentTask
}

/** The handing centre's 认可结果 (accepted) or 退回重办 (a note required). */
export async function verifyDepartmentTask(id: number, accepted: boolean, note?: string): Promise<DepartmentTask> {
  return (await (await send(`/api/departments/tasks/${id}/verify`, { method: 'POST', json: { accepted, note } })).json()) as DepartmentTask
}

/** Element Plus tag type for a task: red when late, else by its status. */
export function departmentTaskTag(task: Pick<DepartmentTask, 'status' | 'late'>): 'danger' | 'warning' | 'primary' | 'success' | 'info' {
  if (task.late && task.status !== 'verified') return 'danger'
  return ({ assigned: 'warning', accepted: 'primary', returned: 'info', reported: 'primary', verified: 'success' } as const)[task.status]
}

/** The account of a department is named dept-<code>, and its regionCode is the same. */
export const ownsDepartmentTask = (task: Pick<DepartmentTask, 'departmentCode'>, regionCode: string | undefined) =>
  regionCode === `dept-${task.departmentCode}`
