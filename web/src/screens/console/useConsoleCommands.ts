// The console's commands, once: the palette (Ctrl+K) lists them and the single keys run them, so a
// key and its palette line can never disagree about what is possible now.
import { computed, type Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type * as api from '../../api'
import { session } from '../../auth'
import { actionKeys, alertActionKeys, alertActions, offeredActions } from './actions'
import type AlertDetail from './AlertDetail.vue'
import type { Command } from './CommandPalette.vue'
import type IncidentDetail from './IncidentDetail.vue'
import type { Pane } from './PaneTabs.vue'
import type QueueList from './QueueList.vue'
import type { QueueFilters } from './QueueList.vue'
import type { useAlertDesk } from './useAlertDesk'
import { noFilters } from './useQueue'

export interface ConsoleState {
  showing: Ref<'incident' | 'alert' | 'conference'>
  pane: Ref<Pane>
  detail: Ref<api.Incident | null>
  handDown: Ref<api.HandDown | null>
  alerts: ReturnType<typeof useAlertDesk>
  canActOnAlerts: Ref<boolean>
  alertView: Ref<InstanceType<typeof AlertDetail> | undefined>
  detailView: Ref<InstanceType<typeof IncidentDetail> | undefined>
  queue: Ref<InstanceType<typeof QueueList> | undefined>
  paletteOpen: Ref<boolean>
  picking: Ref<boolean>
  newAt: Ref<{ lon: number; lat: number } | null>
  filters: Ref<QueueFilters>
  queueStatuses: api.IncidentStatus[]
  act: (action: api.IncidentAction) => Promise<void>
  move: (step: number) => void
  showPane: (pane: Pane) => void
  startNew: () => void
  loadQueue: () => Promise<void>
}

export function useConsoleCommands(c: ConsoleState) {
  const { t } = useI18n()
  const { showing, pane, detail, handDown, alerts, canActOnAlerts, alertView, detailView, queue, paletteOpen, picking, newAt, filters,
    queueStatuses, act, move, showPane, startNew, loadQueue } = c

  const commands = computed((): Command[] => {
    const list: Command[] = []
    const incident = showing.value === 'incident' ? detail.value : null
    const alert = showing.value === 'alert' ? alerts.detail.value : null
    if (alert && canActOnAlerts.value)
      for (const action of alertActions[alert.status])
        list.push({ id: `alert-${action}`, label: `${t(`alerts.action.${action}`)} · ${t('alerts.tab')} #${alert.id}`, hint: alertActionKeys[action].toUpperCase(), run: () => alertView.value?.act(action) })
    list.push(pane.value === 'alerts'
      ? { id: 'queue', label: t('alerts.showQueue'), hint: 'L', run: () => showPane('queue') }
      : { id: 'alerts', label: `${t('alerts.show')} (${alerts.store.open.length})`, hint: 'L', run: () => showPane('alerts') })
    list.push(pane.value === 'conferences'
      ? { id: 'queue-from-conferences', label: t('alerts.showQueue'), hint: 'M', run: () => showPane('queue') }
      : { id: 'conferences', label: t('conference.show'), hint: 'M', run: () => showPane('conferences') })
    if (incident) {
      for (const action of offeredActions(incident, session.user?.regionCode, handDown.value?.incidentId === incident.id)) {
        if (action === 'dispatch')
          list.push({ id: 'dispatch', label: t('console.dispatchRecommended'), hint: 'D', run: () => detailView.value?.dispatchRecommended() })
        else list.push({ id: action, label: `${t(`action.${action}`)} #${incident.id}`, hint: actionKeys[action]?.toUpperCase(), run: () => void act(action) })
      }
    }
    list.push({ id: 'new', label: t('console.newIncident'), hint: 'N', run: startNew })
    for (const status of queueStatuses)
      list.push({ id: `filter-${status}`, label: t('console.filterStatus', { status: t(`status.${status}`) }), run: () => (filters.value.status = status) })
    list.push({ id: 'filter-overdue', label: t('console.onlyOverdue'), run: () => (filters.value.overdue = true) })
    list.push({ id: 'clear', label: t('console.clearFilters'), run: () => (filters.value = noFilters()) })
    list.push({ id: 'refresh', label: t('console.refresh'), run: () => void loadQueue() })
    return list
  })

  function typing(target: EventTarget | null): boolean {
    const element = target as HTMLElement | null
    if (!element) return false
    // The palette's input keeps the focus while the dialog fades out: a key pressed right after
    // Enter (Ctrl+K, "#123", Enter, A) is meant for the console, not for a closed palette.
    if (!paletteOpen.value && element.closest('.palette')) return false
    return element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName)
  }

  function onKey(event: KeyboardEvent): void {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
      event.preventDefault()
      paletteOpen.value = !paletteOpen.value
      return
    }
    if (event.key === 'Escape') {
      picking.value = false
      return
    }
    if (paletteOpen.value || newAt.value || typing(event.target) || event.ctrlKey || event.metaKey || event.altKey) return
    const key = event.key.toLowerCase()
    if (key === 'j' || event.key === 'ArrowDown') move(1)
    else if (key === 'k' || event.key === 'ArrowUp') move(-1)
    else if (key === '/') queue.value?.focusSearch()
    else if (key === 'n') startNew()
    else if (key === 'l') showPane(pane.value === 'alerts' ? 'queue' : 'alerts')
    else if (key === 'm') showPane(pane.value === 'conferences' ? 'queue' : 'conferences')
    // A conference is decided with its buttons, each asking for the decision's reasoning: no single keys.
    else if (showing.value === 'conference') return
    else if (showing.value === 'alert') {
      const action = (Object.entries(alertActionKeys) as [api.AlertAction, string][]).find(([, k]) => k === key)?.[0]
      if (!action || !canActOnAlerts.value) return
      alertView.value?.act(action)
    } else if (key === 'd') detailView.value?.dispatchRecommended()
    else {
      const action = (Object.entries(actionKeys) as [api.IncidentAction, string][]).find(([, k]) => k === key)?.[0]
      if (!action) return
      void act(action)
    }
    event.preventDefault()
  }

  return { commands, onKey }
}
