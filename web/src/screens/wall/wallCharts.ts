// The wall's four charts as ECharts options, derived from its figures (trends and breakdowns) and
// the language: the screen only places them.
import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type * as api from '../../api'
import type { ChartOption } from '../../charts/echarts'
import type { useWallFigures } from './useWallData'

export function useWallCharts(figures: ReturnType<typeof useWallFigures>) {
  const { t, locale } = useI18n()
  const axis = { axisLine: { lineStyle: { color: '#3b6a8c' } }, axisLabel: { color: '#8ea9c0' }, splitLine: { lineStyle: { color: 'rgba(76,195,245,0.12)' } } }
  const legend = computed(() => ({ top: 0, right: 0, textStyle: { color: '#c3dcf0' }, data: [t('wall.reported'), t('wall.closedSeries')] }))

  function trendOption(points: api.TrendPoint[], label: (start: Date) => string, type: 'line' | 'bar'): ChartOption {
    return {
      grid: { left: 36, right: 8, top: 26, bottom: 22 },
      legend: legend.value,
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: points.map((p) => label(new Date(p.start))), ...axis },
      yAxis: { type: 'value', minInterval: 1, ...axis },
      series: [
        { name: t('wall.reported'), type, data: points.map((p) => p.reported), smooth: true, color: '#4cc3f5', showSymbol: false, areaStyle: type === 'line' ? { opacity: 0.15 } : undefined },
        { name: t('wall.closedSeries'), type, data: points.map((p) => p.closed), smooth: true, color: '#1dd1a1', showSymbol: false },
      ],
    } as ChartOption
  }

  const dayLabel = (start: Date) =>
    start.toLocaleDateString(locale.value, { month: 'numeric', day: 'numeric', timeZone: 'Asia/Shanghai' })
  const hourLabel = (start: Date) =>
    start.toLocaleTimeString('zh-CN', { hour: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).replace(/时$/, '') + ':00'

  const trend24 = computed(() => trendOption(figures.trends.value?.hourly ?? [], hourLabel, 'line'))
  const trend7 = computed(() => trendOption(figures.trends.value?.daily ?? [], dayLabel, 'bar'))
  const categoryOption = computed((): ChartOption => {
    const rows = figures.breakdown.value?.categories ?? []
    return {
      tooltip: { trigger: 'item' },
      series: [
        {
          type: 'pie',
          radius: ['34%', '58%'],
          center: ['50%', '54%'],
          label: { color: '#c3dcf0', formatter: '{b}\n{c}', width: 90, overflow: 'break' },
          labelLine: { lineStyle: { color: '#3b6a8c' } },
          itemStyle: { borderColor: '#071320', borderWidth: 2 },
          color: ['#4cc3f5', '#ff9f43', '#1dd1a1', '#feca57', '#ff6b6b', '#a29bfe', '#48dbfb'],
          // Categories with no report would only crowd the labels.
          data: rows.filter((row) => row.reported > 0).map((row) => ({ name: locale.value === 'en' ? row.nameEn : row.name, value: row.reported })),
        },
      ],
    } as ChartOption
  })
  const districtOption = computed((): ChartOption => {
    const rows = [...(figures.breakdown.value?.regions ?? [])].sort((a, b) => a.reported - b.reported)
    return {
      grid: { left: 8, right: 36, top: 26, bottom: 8, containLabel: true },
      legend: { top: 0, right: 0, textStyle: { color: '#c3dcf0' }, data: [t('wall.reported'), t('wall.kpi.overdue')] },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'value', minInterval: 1, ...axis },
      yAxis: { type: 'category', data: rows.map((r) => r.name.replace('鹤壁经济技术开发区', '开发区')), ...axis },
      series: [
        { name: t('wall.reported'), type: 'bar', data: rows.map((r) => r.reported), color: '#4cc3f5', barWidth: '40%', label: { show: true, position: 'right', color: '#c3dcf0' } },
        { name: t('wall.kpi.overdue'), type: 'bar', data: rows.map((r) => r.overdue), color: '#ff6b6b', barWidth: '40%' },
      ],
    } as ChartOption
  })

  return { trend24, trend7, categoryOption, districtOption }
}
