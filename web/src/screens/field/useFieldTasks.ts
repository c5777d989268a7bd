// The worker's assignments: loaded from REST after a (re)connection, kept fresh by the live events
// that name them, and announced with sound and vibration when a new one arrives.
import { shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { showNotify } from 'vant'
import * as api from '../../api'
import { beep } from '../../live/sound'
import { useLive } from '../../live/useLive'

export function useFieldTasks(me: string) {
  const { t } = useI18n()

  // Kept on the phone as last seen, for an app opened with no network (the worker can still read
  // where to go and queue steps) — without the reporters' names and phones, which stay on the server.
  const tasksKey = `dispatch.tasks.${me}`
  function lastSeenTasks(): api.Incident[] {
    try {
      return JSON.parse(window.localStorage.getItem(tasksKey) ?? '[]') as api.Incident[]
    } catch {
      return []
    }
  }
  const tasks = shallowRef<api.Incident[]>(lastSeenTasks())
  watch(tasks, (rows) => {
    const kept = rows.map((row) => ({ ...row, reporterName: null, reporterPhone: null }))
    window.localStorage.setItem(tasksKey, JSON.stringify(kept))
  })
  /** The next worker on this phone must not read the last one's work. */
  const forget = () => window.localStorage.removeItem(tasksKey)

  const mine = (incident: api.Incident) =>
    incident.assignments.some((a) => a.staffCode === me && (a.status === 'pending' || a.status === 'acknowledged'))

  async function loadTasks(): Promise<void> {
    const pages = await Promise.all((['dispatched', 'acknowledged', 'on_scene'] as const).map((status) => api.listIncidents({ status, pageSize: 100 })))
    const details = await Promise.all(pages.flatMap((page) => page.items).map((row) => api.getIncident(row.id).catch(() => null)))
    tasks.value = details.filter((i): i is api.Incident => !!i && mine(i)).sort((a, b) => b.id - a.id)
  }

  async function refreshTask(id: number, announce = false): Promise<void> {
    try {
      const incident = await api.getIncident(id)
      const others = tasks.value.filter((task) => task.id !== id)
      const isNew = !tasks.value.some((task) => task.id === id)
      tasks.value = mine(incident) ? [incident, ...others].sort((a, b) => b.id - a.id) : others
      if (announce && isNew && mine(incident)) {
        showNotify({ type: 'warning', message: t('field.newTask', { category: incident.categoryName }), duration: 4000 })
        beep(incident.priority <= 2)
        navigator.vibrate?.([200, 100, 200])
      }
    } catch (error) {
      console.warn('task', error)
    }
  }

  /** Takes the incident as a sent step left it, saving a round trip (and drops it once no longer mine). */
  function settle(incident: api.Incident): void {
    tasks.value = tasks.value.map((task) => (task.id === incident.id ? incident : task)).filter(mine)
  }

  useLive({
    reload: loadTasks,
    onEvent(event) {
      if (event.type === 'assignment.created' && event.data.staffCode === me) void refreshTask(event.data.incidentId, true)
      else if (event.type === 'assignment.updated' && event.data.staffCode === me) void refreshTask(event.data.incidentId)
      else if (event.type === 'incident.updated' && tasks.value.some((task) => task.id === event.data.id)) void refreshTask(event.data.id)
    },
  })

  return { tasks, forget, refreshTask, settle }
}
