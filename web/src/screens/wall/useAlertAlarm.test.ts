// The wall's banner rules without a browser: alarms strongest first, notices apart, and a burst of
// notices (a busy day's 三零 changes) neither pushes an alarm off the wall nor flashes or sounds.
// The real tones and flashing are the browser test's (e2e/wall-alarm.spec.ts).
import { createPinia } from 'pinia'
import { createApp, defineComponent, type App } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AlertSummary } from '../../api'
import { useAlertsStore } from '../../stores/alerts'
import { useAlertAlarm } from './useAlertAlarm'

const beeps = vi.hoisted(() => [] as boolean[])
vi.mock('../../live/sound', () => ({ beep: (urgent: boolean) => beeps.push(urgent), enableSound: () => true, soundEnabled: () => true }))

let at = 0
function alert(id: number, level: AlertSummary['level'], lane: AlertSummary['lane'], snoozedUntil: string | null = null): AlertSummary {
  const time = new Date(Date.UTC(2026, 11, 7, 8, 0, at++)).toISOString()
  return { id, level, status: 'raised', detector: lane === 'notice' ? 'three-zero-change' : 'repeat-place', lane, regionCode: '410602001001',
    title: `预警 ${id}`, summary: '', raisedAt: time, updatedAt: time, snoozedUntil, disposition: null, taskDoneAt: null }
}

let app: App
let alarm: ReturnType<typeof useAlertAlarm>
let store: ReturnType<typeof useAlertsStore>

beforeEach(() => {
  vi.useFakeTimers()
  beeps.length = 0
  app = createApp(defineComponent({ setup: () => { alarm = useAlertAlarm(); store = useAlertsStore(); return () => null } }))
  app.use(createPinia()).mount(document.createElement('div'))
})
afterEach(() => {
  app.unmount()
  vi.useRealTimers()
})

function raise(a: AlertSummary) {
  store.applyEvent(a)
  alarm.raised(a)
}

describe('useAlertAlarm', () => {
  it('keeps an orange alarm on the banner under a burst of red notices, which sound and flash nothing', () => {
    for (let id = 1; id <= 6; id++) raise(alert(id, 'red', 'notice'))
    vi.advanceTimersByTime(1000)
    expect(alarm.flashing.value).toBe(false)
    expect(beeps).toEqual([])
    expect(alarm.banner.value).toEqual([])
    expect(alarm.notices.value.map((a) => a.id)).toEqual([6])
    expect(alarm.moreNotices.value).toBe(5)

    raise(alert(7, 'orange', 'alarm'))
    vi.advanceTimersByTime(1000)
    expect(alarm.banner.value.map((a) => a.id)).toEqual([7])
    expect(alarm.flashing.value).toBe(true)
    expect(beeps).toEqual([true])
  })

  it('shows the five most urgent alarms while fresh, then one, with how many more', () => {
    for (let id = 1; id <= 7; id++) raise(alert(id, id === 3 ? 'red' : 'yellow', 'alarm'))
    expect(alarm.banner.value.map((a) => a.id)).toEqual([3, 7, 6, 5, 4])
    expect(alarm.more.value).toBe(2)
    vi.advanceTimersByTime(180_001)
    expect(alarm.banner.value.map((a) => a.id)).toEqual([3])
    expect(alarm.more.value).toBe(6)
  })

  it('keeps a snoozed alarm silent and off the banner until its snooze ends', () => {
    const until = new Date(Date.now() + 30 * 60_000).toISOString()
    raise(alert(8, 'red', 'alarm', until))
    vi.advanceTimersByTime(1000)
    expect(alarm.banner.value).toEqual([])
    expect(alarm.flashing.value).toBe(false)
    expect(beeps).toEqual([])
    // Half an hour later the wall, checking every minute, shows it again.
    vi.advanceTimersByTime(31 * 60_000)
    expect(alarm.banner.value.map((a) => a.id)).toEqual([8])
  })
})
