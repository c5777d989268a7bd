// When a phone on duty tells the server where it is. The GPS watch only fires when the fix
// changes, so a worker who switches duty on while standing still, or stands at a scene for an
// hour, would otherwise never be heard of: the newest fix goes at once when duty starts, then at
// most every 10 s while it changes, and once a minute while it does not, so the centre's "last
// seen" stays recent. (The server keeps at most one fix per person every 5 s.)
import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue'
import * as api from '../../api'

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

/**
 * The phone's GPS for the field app: the newest fix (for reports and the "me" tab), and the duty
 * switch, remembered per account; while on duty and online the fix is shared as `shareDue` says.
 */
export function useSharedPosition(me: string, online: Ref<boolean>) {
  const onDuty = ref(window.localStorage.getItem(`dispatch.duty.${me}`) === 'on')
  const position = ref<{ lon: number; lat: number; accuracy: number } | null>(null)
  const positionError = ref(false)
  let watchId: number | null = null
  let fixAt: number | null = null
  let sent: Sent | null = null

  function share(): void {
    const at = position.value
    if (!at || !onDuty.value || !online.value || !shareDue(Date.now(), fixAt, sent)) return
    sent = { at: Date.now(), fixAt: fixAt! }
    api.reportPosition(at.lon, at.lat, at.accuracy).catch((error) => console.warn('position', error))
  }
  // The server keeps the switch too (recommendations skip whoever is off duty); a change made
  // offline is told once the phone is back online.
  let told: boolean | null = null
  function tell(): void {
    const on = onDuty.value
    if (told === on || !online.value) return
    api.setMyDuty(on).then(() => (told = on), (error) => console.warn('duty', error))
  }
  watch(onDuty, (on) => {
    window.localStorage.setItem(`dispatch.duty.${me}`, on ? 'on' : 'off')
    sent = null // duty starts: the newest fix goes at once
    share()
    tell()
  })
  watch(online, tell)
  const sharing = setInterval(share, 5_000)

  onMounted(() => {
    if (!('geolocation' in navigator)) return
    watchId = navigator.geolocation.watchPosition(
      (fix) => {
        position.value = { lon: fix.coords.longitude, lat: fix.coords.latitude, accuracy: fix.coords.accuracy }
        positionError.value = false
        fixAt = fix.timestamp
        share()
      },
      () => (positionError.value = true),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    )
  })
  onBeforeUnmount(() => {
    clearInterval(sharing)
    if (watchId !== null) navigator.geolocation.clearWatch(watchId)
  })
  return { onDuty, position, positionError }
}
