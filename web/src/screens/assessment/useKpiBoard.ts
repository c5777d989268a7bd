// The KPI board's state: the period and the region shown, the report and ranking of them, and the
// incidents behind a figure. Moving the period, the region or the ranking's metric reloads; a
// newer load cancels the one in flight, so a quick series of clicks shows the last one's figures.
import { computed, onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import * as api from '../../api'
import { session } from '../../auth'

export type KpiPreset = keyof ReturnType<typeof api.kpiPeriods> | 'custom'
/** The incidents behind one figure of one region. */
export type KpiDrill = { figure: api.KpiFigure; region: string; rows: api.KpiIncident[] }

export function useKpiBoard() {
  const preset = ref<KpiPreset>('month')
  const custom = ref<[string, string] | null>(null)
  // A custom range not picked yet shows this month.
  const period = computed<api.KpiPeriod>(() => {
    if (preset.value === 'custom' && custom.value) return { from: custom.value[0], to: custom.value[1] }
    return api.kpiPeriods(new Date())[preset.value === 'custom' ? 'month' : preset.value]
  })

  /** The region shown: the account's own, or one below it picked from the table; the way back up. */
  const trail = ref<{ code: string; name: string }[]>([])
  const regionCode = computed(() => trail.value.at(-1)?.code)
  const report = shallowRef<api.KpiReport | null>(null)
  const ranking = shallowRef<api.Ranking | null>(null)
  const metric = ref<api.RankMetric>('dueRate')
  const problem = ref<string | null>(null)
  const loading = ref(false)

  let controller: AbortController | null = null
  async function load(): Promise<void> {
    controller?.abort()
    const mine = (controller = new AbortController())
    loading.value = true
    problem.value = null
    try {
      const code = regionCode.value
      const [r, k] = await Promise.all([
        api.kpiReport(period.value, code, mine.signal),
        // A village has nothing below it to rank.
        (code ?? session.user?.regionCode ?? '').length >= 12 ? Promise.resolve(null) : api.kpiRanking(period.value, metric.value, code, undefined, mine.signal),
      ])
      if (mine !== controller) return
      report.value = r
      ranking.value = k
      if (!trail.value.length) trail.value = [{ code: r.regionCode, name: r.regionName }]
    } catch (error) {
      if (mine !== controller || (error instanceof DOMException && error.name === 'AbortError')) return
      problem.value = error instanceof api.ApiError ? (error.problem?.detail ?? error.problem?.title ?? error.message) : String(error)
    } finally {
      if (mine === controller) loading.value = false
    }
  }
  watch([period, regionCode, metric], () => void load())
  onMounted(() => void load())
  onBeforeUnmount(() => controller?.abort())

  function down(code: string, name: string): void {
    if (code.length >= 15) return // grids: the village is the last level with a centre
    trail.value = [...trail.value, { code, name }]
  }
  function upTo(index: number): void {
    trail.value = trail.value.slice(0, index + 1)
  }

  /** The export of what the board shows: the same period and region. */
  const exportUrl = (file: string) => `/api/exports/${file}?${new URLSearchParams({ ...period.value, ...(regionCode.value ? { regionCode: regionCode.value } : {}) })}`

  /** The briefing of the month the period starts in (or its week or day when that is what is shown). */
  const briefingUrl = (as: 'page' | 'pdf') => {
    const days = (Date.parse(period.value.to) - Date.parse(period.value.from)) / 86400_000 + 1
    const kind = days <= 1 ? 'day' : days <= 7 ? 'week' : 'month'
    return `/api/briefings/${as}?${new URLSearchParams({ period: kind, at: period.value.from, ...(regionCode.value ? { regionCode: regionCode.value } : {}) })}`
  }

  const drilled = shallowRef<KpiDrill | null>(null)
  // A slow drill-down answering after another click, or after the period moved, is not shown.
  let drilling = 0
  async function drill(figure: api.KpiFigure, region = regionCode.value): Promise<void> {
    const mine = ++drilling
    const shown = period.value
    try {
      const rows = await api.kpiIncidents(shown, figure, region)
      if (mine === drilling && shown === period.value) drilled.value = { figure, region: region ?? '', rows }
    } catch (error) {
      if (mine !== drilling) return
      problem.value = error instanceof api.ApiError ? (error.problem?.detail ?? error.message) : String(error)
    }
  }

  return { preset, custom, period, trail, regionCode, report, ranking, metric, problem, loading, down, upTo, exportUrl, briefingUrl, drilled, drill }
}

/** Durations as the board writes them (minutes, hours or days), in the UI's language. */
export function useMinutes() {
  const { t } = useI18n()
  return (m: number | null) => api.duration(m, { minutes: t('assessment.units.minutes'), hours: t('assessment.units.hours'), days: t('assessment.units.days') })
}
