// The console's alerts: the open ones from REST into the alerts store (events keep it current),
// one alert in detail with its area, and its steps with If-Match — a stale version is said so and
// the fresh state shown, as for incidents.
import type * as GeoJSON from 'geojson'
import { computed, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import * as api from '../../api'
import type { AlertArea } from '../../map/alerts'
import { capPolygon } from '../../map/alerts'
import { knownNames } from '../../regions'
import { useAlertsStore } from '../../stores/alerts'
import { alertActions } from './actions'
import { useRefusedStep } from './refusedStep'

export interface AlertDeskOptions {
  toast: (type: 'success' | 'error' | 'info', message: string) => void
  describe: (error: unknown) => string
  /** The incident a "task" step created: the console opens it. */
  openIncident: (id: number) => void
}

export function useAlertDesk({ toast, describe, openIncident }: AlertDeskOptions) {
  const { t } = useI18n()
  const store = useAlertsStore()
  const selectedId = ref<number | null>(null)
  const detail = shallowRef<api.Alert | null>(null)
  const hull = shallowRef<GeoJSON.Polygon | null>(null)
  const busy = ref(false)
  const refused = useRefusedStep({ toast, describe })

  async function load(): Promise<void> {
    const since = store.mark()
    const pages = await Promise.all(api.openAlertStatuses.map((status) => api.listAllAlerts(status)))
    store.replace(pages.flat(), since)
    if (selectedId.value !== null) await loadDetail(selectedId.value)
  }

  let loading = 0
  async function loadDetail(id: number): Promise<void> {
    const ticket = ++loading
    try {
      const alert = await api.getAlert(id)
      if (ticket !== loading) return
      detail.value = alert
      store.upsert(alert)
    } catch (error) {
      if (ticket === loading) toast('error', t('console.failed', { reason: describe(error) }))
    }
  }

  async function loadHull(id: number): Promise<void> {
    try {
      const polygon = capPolygon(await api.alertCap(id))
      if (selectedId.value === id) hull.value = polygon
    } catch (error) {
      // The grids still light up from the tiles; only the outline and the fit are missing.
      console.warn('alert area', error)
    }
  }

  function select(id: number): void {
    if (selectedId.value !== id) {
      detail.value = null
      hull.value = null
      void loadHull(id)
    }
    selectedId.value = id
    void loadDetail(id)
  }

  function clear(): void {
    selectedId.value = null
    detail.value = null
    hull.value = null
  }

  /** An event about the open alert: read its evidence and version again. */
  function changed(id: number): void {
    if (id === selectedId.value) void loadDetail(id)
  }

  function move(step: number): void {
    const list = store.open
    if (!list.length) return
    const index = list.findIndex((a) => a.id === selectedId.value)
    const next = list[Math.min(list.length - 1, Math.max(0, index < 0 ? 0 : index + step))]
    if (next) select(next.id)
  }

  async function act(action: api.AlertAction, note?: string, extra: { disposition?: api.AlertDisposition; hours?: number } = {}): Promise<void> {
    const alert = detail.value
    if (!alert || busy.value || !alertActions[alert.status].includes(action)) return
    if (action === 'close' && !extra.disposition) {
      toast('error', t('alerts.dispositionRequired'))
      return
    }
    if (action === 'close' && !note) {
      toast('error', t('alerts.noteRequired'))
      return
    }
    busy.value = true
    try {
      const next = await api.alertTransition(alert.id, alert.version, {
        action,
        note,
        disposition: action === 'close' ? extra.disposition : undefined,
        hours: action === 'snooze' ? (extra.hours ?? 4) : undefined,
      })
      store.upsert(next)
      if (selectedId.value === next.id) detail.value = next
      if (action === 'task' && next.taskIncidentId !== null) {
        toast('success', t('alerts.tasked', { alert: next.id, id: next.taskIncidentId }))
        openIncident(next.taskIncidentId)
      } else {
        toast('success', t('alerts.done', { action: t(`alerts.action.${action}`), id: next.id }))
      }
    } catch (error) {
      await refused(error, { title: `${t('alerts.tab')} #${alert.id}`, message: t('alerts.stale') }, () => loadDetail(alert.id))
    } finally {
      busy.value = false
    }
  }

  /** Silences alarms of this alert's kind over its region for a while; the reason is required. */
  async function snoozeRegion(hours: number, reason?: string): Promise<void> {
    const alert = detail.value
    if (!alert || busy.value) return
    if (!reason) {
      toast('error', t('alerts.snoozeReasonRequired'))
      return
    }
    busy.value = true
    try {
      const snooze = await api.snoozeRegion({ regionCode: alert.regionCode, detector: alert.detector, hours, reason })
      toast('success', t('alerts.snoozedRegion', { region: knownNames.get(alert.regionCode) ?? alert.regionCode, hours, count: snooze.alertsSnoozed }))
      await loadDetail(alert.id)
    } catch (error) {
      toast('error', t('console.failed', { reason: describe(error) }))
    } finally {
      busy.value = false
    }
  }

  const area = computed((): AlertArea | null =>
    detail.value ? { level: detail.value.level, gridCodes: detail.value.gridCodes, hull: hull.value } : null,
  )

  return { store, selectedId, detail, area, busy, load, select, clear, changed, move, act, snoozeRegion }
}
