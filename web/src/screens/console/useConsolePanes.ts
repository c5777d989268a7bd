// Which list the console's left column shows (queue, alerts, conferences, 督办, 回访) and what its
// middle shows — an incident, an alert or a conference — and moving through the list with J/K.
// Switching lists keeps each one's selection, so going back shows what was open there.
import { ref, type Ref } from 'vue'
import type * as api from '../../api'
import type { Pane } from './PaneTabs.vue'
import type { useAlertDesk } from './useAlertDesk'
import type { useConferenceDesk } from './useConferenceDesk'
import type { useIncidentDesk } from './useIncidentDesk'

export type Showing = 'incident' | 'alert' | 'conference'

export function useConsolePanes(
  desk: ReturnType<typeof useIncidentDesk>,
  alerts: ReturnType<typeof useAlertDesk>,
  conferences: ReturnType<typeof useConferenceDesk>,
  rows: Ref<readonly { id: number }[]>,
) {
  const pane = ref<Pane>('queue')
  const showing = ref<Showing>('incident')

  function select(id: number): void {
    showing.value = 'incident'
    desk.select(id)
  }

  /** The incident an alert's task or a conference's case is about: the queue, with it open. */
  function openIncident(id: number): void {
    pane.value = 'queue'
    select(id)
  }

  function selectAlert(id: number): void {
    showing.value = 'alert'
    alerts.select(id)
  }

  function selectConference(id: number): void {
    showing.value = 'conference'
    void conferences.select(id)
  }

  function showPane(next: Pane): void {
    pane.value = next
    if (next === 'alerts' && alerts.selectedId.value !== null) showing.value = 'alert'
    else if (next === 'queue' && desk.detail.value) showing.value = 'incident'
    else if (next === 'conferences') {
      void conferences.load()
      if (conferences.selectedId.value !== null) showing.value = 'conference'
    }
  }

  /** Calls the signed-in centre's conference and opens it. */
  async function createConference(body: api.NewConference): Promise<boolean> {
    const ok = await conferences.create(body)
    if (ok) showing.value = 'conference'
    return ok
  }

  function move(step: number): void {
    if (pane.value === 'conferences') {
      conferences.move(step)
      if (conferences.selectedId.value !== null) showing.value = 'conference'
      return
    }
    if (pane.value === 'alerts') {
      alerts.move(step)
      if (alerts.selectedId.value !== null) showing.value = 'alert'
      return
    }
    const list = rows.value
    if (!list.length) return
    const index = list.findIndex((row) => row.id === desk.selectedId.value)
    const next = list[Math.min(list.length - 1, Math.max(0, index < 0 ? 0 : index + step))]
    if (next) select(next.id)
  }

  return { pane, showing, select, openIncident, selectAlert, selectConference, showPane, createConference, move }
}
