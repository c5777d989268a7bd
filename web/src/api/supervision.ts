// 督办: supervision orders on incidents (docs/api.md "Supervision orders"; server: src/Dispatch.Server/SupervisionOrders).
import { getJson, query, send } from './http'
import type { IncidentStatus } from './incidents'

export type OrderStatus = 'open' | 'acknowledged' | 'done'

export interface SupervisionOrder {
  id: number
  incidentId: number
  categoryName: string
  description: string
  incidentStatus: IncidentStatus
  /** The incident's responsible centre: the one that signs for the order (签收). */
  centreCode: string
  centreName: string
  orderedBy: string
  orderedAt: string
  dueBy: string
  note: string
  status: OrderStatus
  acknowledgedBy: string | null
  acknowledgedAt: string | null
  doneAt: string | null
  /** Done after `dueBy`, or still not done past it. */
  late: boolean
}

export interface OrderQuery {
  incidentId?: number
  status?: OrderStatus
  late?: boolean
}

/** The caller's area's orders: open first, the nearest date first (at most 500). */
export function listOrders(filter: OrderQuery = {}, signal?: AbortSignal): Promise<SupervisionOrder[]> {
  return getJson<SupervisionOrder[]>(`/api/supervision-orders?${query(filter)}`, signal)
}

/** Supervisors and admins; 400 names `dueBy` (within a year) or `note` (required). */
export async function orderSupervision(body: { incidentId: number; dueBy: string; note: string }): Promise<SupervisionOrder> {
  return (await (await send('/api/supervision-orders', { method: 'POST', json: body })).json()) as SupervisionOrder
}

/** 签收, by the responsible centre, once (409 after). */
export async function acknowledgeOrder(id: number): Promise<SupervisionOrder> {
  return (await (await send(`/api/supervision-orders/${id}/acknowledge`, { method: 'POST' })).json()) as SupervisionOrder
}
