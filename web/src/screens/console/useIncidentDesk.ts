// The console's incident in detail: the one selected, its recommended staff and photos, and its
// steps with If-Match — a stale version is said so and the fresh state shown, never overwritten.
import { ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import * as api from '../../api'
import { useIncidentsStore } from '../../stores/incidents'
import { dispatcherActions } from './actions'
import { useRefusedStep } from './refusedStep'

export interface IncidentDeskOptions {
  toast: (type: 'success' | 'error' | 'info', message: string) => void
  describe: (error: unknown) => string
}

export function useIncidentDesk({ toast, describe }: IncidentDeskOptions) {
  const { t } = useI18n()
  const incidents = useIncidentsStore()
  const selectedId = ref<number | null>(null)
  const detail = shallowRef<api.Incident | null>(null)
  const recommendations = shallowRef<api.RoleRecommendation[]>([])
  const photos = shallowRef<api.Photo[]>([])
  const busy = ref(false)
  const refused = useRefusedStep({ toast, describe })
  watch(selectedId, (id) => id === null && (detail.value = null))

  let loading = 0
  async function loadDetail(id: number): Promise<void> {
    const ticket = ++loading
    try {
      const incident = await api.getIncident(id)
      if (ticket !== loading) return
      detail.value = incident
      incidents.upsert(incident)
      const [recs, pics] = await Promise.all([
        dispatcherActions[incident.status].includes('dispatch') ? api.recommendations(id).catch(() => []) : Promise.resolve([]),
        api.listPhotos(id).catch(() => []),
      ])
      if (ticket !== loading) return
      recommendations.value = recs
      photos.value = pics
    } catch (error) {
      if (ticket === loading) toast('error', t('console.failed', { reason: describe(error) }))
    }
  }

  function select(id: number): void {
    selectedId.value = id
    recommendations.value = []
    photos.value = []
    if (detail.value?.id !== id) detail.value = null
    void loadDetail(id)
  }

  async function act(action: api.IncidentAction, staffIds?: number[], note?: string): Promise<void> {
    const incident = detail.value
    if (!incident || busy.value) return
    if (!dispatcherActions[incident.status].includes(action)) return
    if (action === 'dispatch' && !staffIds?.length) return
    busy.value = true
    try {
      const next = await api.transition(incident.id, incident.version, { action, staffIds, note })
      incidents.upsert(next)
      if (selectedId.value === next.id) detail.value = next
      toast('success', t('console.done', { action: t(`action.${action}`), id: next.id }))
      void loadDetail(next.id)
    } catch (error) {
      await refused(error, { title: `#${incident.id}`, message: t('console.stale') }, () => loadDetail(incident.id))
    } finally {
      busy.value = false
    }
  }

  return { selectedId, detail, recommendations, photos, busy, loadDetail, select, act }
}
