// SLA countdowns: one clock for the whole screen, ticking once a second, and the colour a
// deadline takes as it nears (green; amber once the server's warnAt, 80 % of the stage's time, has
// passed; red when past). The console and the field app share it.
import { ref } from 'vue'

export const now = ref(Date.now())
let timer: ReturnType<typeof setInterval> | null = null
let users = 0

export function startClock(): () => void {
  if (users++ === 0) timer = setInterval(() => (now.value = Date.now()), 1000)
  return () => {
    if (--users === 0 && timer) clearInterval(timer)
  }
}

export type Urgency = 'none' | 'ok' | 'near' | 'over'

/** Without a warnAt (a row from before the server gave one) amber starts 30 minutes before dueAt. */
const nearWithoutWarn = 30 * 60_000

export function urgency(dueAt: string | null, warnAt: string | null | undefined, at = now.value): Urgency {
  if (!dueAt) return 'none'
  const left = Date.parse(dueAt) - at
  if (left < 0) return 'over'
  if (warnAt) return at >= Date.parse(warnAt) ? 'near' : 'ok'
  return left < nearWithoutWarn ? 'near' : 'ok'
}

/** "2天3小时", "1:05:09", "04:59" — the time left (or past) in the most readable unit. */
export function span(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000)
  const days = Math.floor(total / 86400)
  const hours = Math.floor((total % 86400) / 3600)
  const minutes = Math.floor((total % 3600) / 60)
  const seconds = total % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  if (days > 0) return `${days}d ${hours}h`
  if (hours > 0) return `${hours}:${pad(minutes)}:${pad(seconds)}`
  return `${pad(minutes)}:${pad(seconds)}`
}
