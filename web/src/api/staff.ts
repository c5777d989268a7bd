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
