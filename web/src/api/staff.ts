// Staff positions (docs/live-events.md "Staff positions"; server: src/Dispatch.Server/Staff).
import { getJson, send } from './http'
import type { StaffKind } from './incidents'

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

/** Who decides whether a person is on duty: their phone's switch, the centre's roster, or neither (on unless switched off). */
export type DutySource = 'switch' | 'roster' | 'default'

export interface DutyState {
  staffId: number
  code: string
  name: string
  kind: StaffKind
  gridCode: string
  status: StaffPosition['status']
  onDuty: boolean
  source: DutySource
  shiftEndsAt: string | null
}

/** The phone's duty switch (在岗/离岗): off keeps the worker out of recommendations until they switch on or a shift starts. */
export async function setMyDuty(onDuty: boolean): Promise<DutyState> {
  return (await send('/api/duty/me', { method: 'PUT', json: { onDuty } })).json() as Promise<DutyState>
}

export interface DutyCount {
  kind: StaffKind
  onDuty: number
  offDuty: number
}

export interface DutyBoard {
  at: string
  regionCode: string
  counts: DutyCount[]
  staff: DutyState[]
  truncated: boolean
}

/** Who is on duty in the caller's area (console users); `all` lists the off-duty staff too. */
export function dutyBoard(all?: boolean, signal?: AbortSignal): Promise<DutyBoard> {
  return getJson<DutyBoard>(`/api/duty${all ? '?all=true' : ''}`, signal)
}

const kindOrder: StaffKind[] = ['grid_worker', 'police', 'legal_adviser', 'mediator']

/** One line per kind, in the board's usual order, with 在岗 / total; kinds the server did not count show 0 / 0. */
export function dutySummary(counts: DutyCount[]): { kind: StaffKind; onDuty: number; total: number }[] {
  return kindOrder.map((kind) => {
    const row = counts.find((c) => c.kind === kind)
    return { kind, onDuty: row?.onDuty ?? 0, total: (row?.onDuty ?? 0) + (row?.offDuty ?? 0) }
  })
}
