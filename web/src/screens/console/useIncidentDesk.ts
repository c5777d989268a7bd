// The console's incident in detail: the one selected, its recommended staff and photos, and its
// steps with If-Match — a stale version is said so and the fresh state shown, never overwritten.
// Only the steps offered to the signed-in centre are taken; escalating and pulling up ask for a reason.
// A resolved case of the centre's is looked up among the open hand-downs (交办): one handed down to
// it may be reported done.
import { ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElMessageBox } from 'element-plus'
import * as api from '../../api'
import { session } from '../../auth'
import { useIncidentsStore } from '../../stores/incidents'
import { needsReason, offeredActions } from './actions'
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
  /** The open hand-down of the case to its responsible centre, when there is one (only looked for once it is resolved). */
  const handDown = shallowRef<api.HandDown | null>(null)
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
      if (handDown.value?.incidentId !== id) handDown.value = null
      const [recs, pics, open] = await Promise.all([
        offeredActions(incident, session.user?.regionCode).includes('dispatch') ? api.recommendations(id).catch(() => []) : Promise.resolve([]),
        api.listPhotos(id).catch(() => []),
        incident.status === 'resolved' && incident.centreCode === session.user?.regionCode ? api.listHandDowns('open').catch(() => []) : Promise.resolve([]),
      ])
      if (ticket !== loading) return
      recommendations.value = recs
      photos.value = pics
      handDown.value = open.find((h) => h.incidentId === id && h.toCentre === incident.centreCode) ?? null
    } catch (error) {
      if (ticket === loading) toast('error', t('console.failed', { reason: describe(error) }))
    }
  }

  function select(id: number): void {
    selectedId.value = id
    recommendations.value = []
    photos.value = []
    handDown.value = null
    if (detail.value?.id !== id) detail.value = null
    void loadDetail(id)
  }

  /** The reason for an escalation or a pull-up, the note typed so far offered; null when cancelled. */
  async function askReason(action: api.IncidentAction, incident: api.Incident, note?: string): Promise<string | null> {
    try {
      const { value } = await ElMessageBox.prompt(t(`console.reason.${action}`, { centre: t('console.centreName', { name: incident.centreName }) }), `${t(`action.${action}`)} #${incident.id}`, {
        inputType: 'textarea',
        inputValue: note ?? '',
        inputPlaceholder: t('console.reason.placeholder'),
        inputValidator: (text: string) => (!text.trim() ? t('console.reason.required') : text.length > 2000 ? t('console.reason.tooLong') : true),
        confirmButtonText: t(`action.${action}`),
        cancelButtonText: t('console.reason.cancel'),
        customClass: 'reason-dialog',
      })
      return value.trim()
    } catch {
      return null // cancelled
    }
  }

  async function act(action: api.IncidentAction, staffIds?: number[], note?: string): Promise<void> {
    const incident = detail.value
    if (!incident || busy.value) return
    if (!offeredActions(incident, session.user?.regionCode, handDown.value?.incidentId === incident.id).includes(action)) return
    if (action === 'dispatch' && !staffIds?.length) return
    if (needsReason.includes(action)) {
      // With the version the dialog was opened on: a case that moved on meanwhile is a 412, as always.
      const reason = await askReason(action, incident, note)
      if (reason === null) return
      note = reason
    }
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

  return { selectedId, detail, recommendations, photos, handDown, busy, loadDetail, select, act }
}
