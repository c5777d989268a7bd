// How the wall announces early-warning alerts. It sees alerts only as they are raised (it never
// reloads them) and keeps the latest 200. A new alert flashes the screen for 12 s and sounds —
// louder for orange and red — once sound has been switched on. The banner shows the most urgent
// alerts nobody has looked at yet, red first, then the newest, one line each, and how many more:
// five for three minutes after an alert arrives, then only the first, so that a day of unhandled
// alerts does not cover the map. Notices — rules that fired by definition, a village losing its 三零
// standing — are listed apart, one line, and neither flash nor sound: a busy day's 三零 changes must
// not push a statistical alarm off the wall, nor make the wall cry wolf. A snoozed alarm (its own
// snooze, or its region's) is silent too until the snooze ends: the wall checks every minute.
import { computed, onBeforeUnmount, ref } from 'vue'
import { snoozed } from '../../api'
import type { AlertEventData } from '../../live/events'
import { beep, enableSound, soundEnabled } from '../../live/sound'
import { useAlertsStore } from '../../stores/alerts'

export function useAlertAlarm() {
  const store = useAlertsStore()
  store.keepAtMost(200)
  const fresh = ref(false)
  const flashing = ref(false)
  const sound = ref(false)
  const now = ref(Date.now())
  const ticking = setInterval(() => (now.value = Date.now()), 60_000)
  const alarms = computed(() => store.unhandled.filter((a) => a.lane !== 'notice' && !snoozed(a, now.value)))
  const banner = computed(() => alarms.value.slice(0, fresh.value ? 5 : 1))
  const more = computed(() => alarms.value.length - banner.value.length)
  const allNotices = computed(() => store.unhandled.filter((a) => a.lane === 'notice'))
  const notices = computed(() => allNotices.value.slice(0, 1))
  const moreNotices = computed(() => allNotices.value.length - notices.value.length)

  let settles: ReturnType<typeof setTimeout> | undefined
  let flashEnds: ReturnType<typeof setTimeout> | undefined
  // One scoring run may raise dozens of alerts at once: they are gathered for a moment and sound
  // once for the burst (urgent if any is), then the wall stays quiet for 5 s.
  let gathering: ReturnType<typeof setTimeout> | undefined
  let quietUntil = 0
  let urgent = false

  function raised(alert: AlertEventData): void {
    if (alert.lane === 'notice' || snoozed({ snoozedUntil: alert.snoozedUntil ?? null })) return
    fresh.value = true
    clearTimeout(settles)
    settles = setTimeout(() => (fresh.value = false), 180_000)
    flashing.value = true
    clearTimeout(flashEnds)
    flashEnds = setTimeout(() => (flashing.value = false), 12_000)
    if (Date.now() < quietUntil) return
    urgent ||= alert.level === 'red' || alert.level === 'orange'
    gathering ??= setTimeout(() => {
      beep(urgent)
      urgent = false
      gathering = undefined
      quietUntil = Date.now() + 5_000
    }, 300)
  }

  /** The click browsers require before a page may play sound. */
  function switchSoundOn(): void {
    sound.value = enableSound()
    setTimeout(() => (sound.value = soundEnabled()), 200)
  }

  onBeforeUnmount(() => {
    ;[settles, flashEnds, gathering].forEach(clearTimeout)
    clearInterval(ticking)
  })
  return { banner, more, notices, moreNotices, flashing, sound, raised, switchSoundOn }
}
