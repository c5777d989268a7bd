// What the wall shows besides the live incidents: the figures, reloaded on a timer and, throttled,
// soon after events, so the cards follow the city without hammering the server.
import { onBeforeUnmount, shallowRef } from 'vue'
import * as api from '../../api'
import { throttle } from '../../live/throttle'

export function useWallFigures() {
  const kpis = shallowRef<api.Kpis | null>(null)
  const trends = shallowRef<api.Trends | null>(null)
  const breakdown = shallowRef<api.Breakdown | null>(null)

  async function loadKpis(): Promise<void> {
    try {
      kpis.value = await api.stats.kpis()
    } catch (error) {
      console.warn('kpis', error)
    }
  }
  async function loadCharts(): Promise<void> {
    try {
      const [t, b] = await Promise.all([api.stats.trends(), api.stats.breakdown(7)])
      trends.value = t
      breakdown.value = b
    } catch (error) {
      console.warn('charts', error)
    }
  }

  const soonKpis = throttle(() => void loadKpis(), 3000)
  const soonCharts = throttle(() => void loadCharts(), 15000)
  const timers = [setInterval(() => void loadKpis(), 30_000), setInterval(() => void loadCharts(), 120_000)]
  onBeforeUnmount(() => timers.forEach(clearInterval))

  return {
    kpis,
    trends,
    breakdown,
    load: () => Promise.all([loadKpis(), loadCharts()]),
    /** After a live event: figures follow within seconds. */
    changed() {
      soonKpis()
      soonCharts()
    },
  }
}
