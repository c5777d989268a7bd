// The dispatcher's queue: which statuses it holds, its filters, its order (the nearest deadline
// first), and its loading from REST after a (re)connection.
import { computed, ref, shallowRef } from 'vue'
import * as api from '../../api'
import { useIncidentsStore } from '../../stores/incidents'
import type { QueueFilters } from './QueueList.vue'
import { now, urgency } from './sla'

/** The statuses a dispatcher works on: open ones, and resolved/verified awaiting verification and closure. */
const queueStatuses: api.IncidentStatus[] = [...api.openStatuses, 'resolved', 'verified']

export const noFilters = (): QueueFilters => ({ text: '', status: '', category: '', priority: '', overdue: false, supervised: false })

export function useQueue() {
  const incidents = useIncidentsStore()
  const categories = shallowRef<api.Category[]>([])
  const filters = ref<QueueFilters>(noFilters())

  const categoryParent = computed(() => Object.fromEntries(categories.value.map((c) => [c.code, c.parentCode ?? c.code])))

  const isOverdue = (row: api.IncidentSummary) => urgency(row.dueAt, row.warnAt, now.value) === 'over'
  const inQueue = computed(() => incidents.all.filter((row) => queueStatuses.includes(row.status)))
  /** Past their deadline by the console's own clock, the same rule that paints them red. */
  const overdueCount = computed(() => inQueue.value.filter(isOverdue).length)
  /** Under an open 督办. */
  const supervisedCount = computed(() => inQueue.value.filter((row) => row.supervised).length)

  const rows = computed(() => {
    const f = filters.value
    const text = f.text.trim().toLowerCase()
    return inQueue.value
      .filter((row) => !f.overdue || isOverdue(row))
      .filter((row) => !f.supervised || row.supervised)
      .filter((row) => !f.status || row.status === f.status)
      .filter((row) => !f.category || categoryParent.value[row.categoryCode] === f.category)
      .filter((row) => !f.priority || row.priority === f.priority)
      .filter(
        (row) =>
          !text ||
          String(row.id).includes(text.replace(/^#/, '')) ||
          row.description.toLowerCase().includes(text) ||
          row.categoryName.includes(text) ||
          row.gridCode.startsWith(text),
      )
      .sort((a, b) => (a.dueAt ? Date.parse(a.dueAt) : Infinity) - (b.dueAt ? Date.parse(b.dueAt) : Infinity) || a.priority - b.priority || b.id - a.id)
  })

  async function loadQueue(): Promise<void> {
    const pages = await Promise.all(queueStatuses.map((status) => api.listAllIncidents({ status }, 3000)))
    incidents.clear()
    pages.forEach((rows) => incidents.merge(rows))
  }

  return { queueStatuses, categories, filters, rows, overdueCount, supervisedCount, loadQueue }
}
