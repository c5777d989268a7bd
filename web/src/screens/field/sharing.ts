// When a phone on duty tells the server where it is. The GPS watch only fires when the fix
// changes, so a worker who switches duty on while standing still, or stands at a scene for an
// hour, would otherwise never be heard of: the newest fix goes at once when duty starts, then at
// most every 10 s while it changes, and once a minute while it does not, so the centre's "last
// seen" stays recent. (The server keeps at most one fix per person every 5 s.)

export const movingMs = 10_000
export const stillMs = 60_000

export interface Sent {
  /** When it was sent (ms). */
  at: number
  /** The fix's own timestamp (GeolocationPosition.timestamp), to tell a new fix from the same one. */
  fixAt: number
}

/** Whether the newest fix (taken at `fixAt`, null: none yet) should be sent at `now`. */
export function shareDue(now: number, fixAt: number | null, sent: Sent | null): boolean {
  if (fixAt === null) return false
  if (sent === null) return true
  return now - sent.at >= (fixAt !== sent.fixAt ? movingMs : stillMs)
}
