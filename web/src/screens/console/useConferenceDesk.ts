// The console's case conferences (一评四会): those of the dispatcher's area, newest first, and one
// in detail — called here, its cases decided one by one (each decision is the incident's own step
// on the server), its minutes recorded. Only the conference's own centre changes it.
import { computed, ref, shallowRef } from 'vue'
import { useI18n } from 'vue-i18n'
import * as api from '../../api'
import { session } from '../../auth'

export interface ConferenceDeskOptions {
  toast: (type: 'success' | 'error' | 'info', message: string) => void
  describe: (error: unknown) => string
}

export function useConferenceDesk({ toast, describe }: ConferenceDeskOptions) {
  const { t } = useI18n()
  const list = shallowRef<api.ConferenceSummary[]>([])
  const selectedId = ref<number | null>(null)
  const detail = shallowRef<api.Conference | null>(null)
  const busy = ref(false)
  /** Whether the signed-in centre's dispatching roles hold the open conference: the others (its superiors, a wall) only read it. */
  const mine = computed(() => !!detail.value && detail.value.centreCode === session.user?.regionCode &&
    !!session.user?.roles.some((role) => role === 'admin' || role === 'dispatcher' || role === 'supervisor'))

  async function load(): Promise<void> {
    try {
      list.value = await api.listConferences()
    } catch (error) {
      toast('error', t('conference.failed', { reason: describe(error) }))
    }
  }

  let loading = 0
  async function select(id: number): Promise<void> {
    const ticket = ++loading
    selectedId.value = id
    if (detail.value?.id !== id) detail.value = null
    try {
      const conference = await api.getConference(id)
      if (ticket === loading) detail.value = conference
    } catch (error) {
      if (ticket === loading) toast('error', t('conference.failed', { reason: describe(error) }))
    }
  }

  /** The conference's answer replaces the view; its row in the list follows. */
  function show(conference: api.Conference): void {
    loading++
    selectedId.value = conference.id
    detail.value = conference
    const row: api.ConferenceSummary = {
      id: conference.id, centreCode: conference.centreCode, centreName: conference.centreName, level: conference.level, kind: conference.kind,
      title: conference.title, scheduledAt: conference.scheduledAt, status: conference.status,
      items: conference.items.length, decided: conference.items.filter((item) => item.decision).length,
    }
    const rest = list.value.filter((c) => c.id !== row.id)
    list.value = list.value.some((c) => c.id === row.id) ? list.value.map((c) => (c.id === row.id ? row : c)) : [row, ...rest]
  }

  async function run(work: () => Promise<api.Conference>, done: (conference: api.Conference) => string): Promise<boolean> {
    if (busy.value) return false
    busy.value = true
    try {
      const conference = await work()
      show(conference)
      toast('success', done(conference))
      return true
    } catch (error) {
      toast('error', t('conference.failed', { reason: describe(error) }))
      return false
    } finally {
      busy.value = false
    }
  }

  const create = (body: api.NewConference) => run(() => api.createConference(body), (c) => t('conference.called', { title: c.title }))

  function decide(body: api.DecisionBody): Promise<boolean> {
    const id = detail.value?.id
    if (id === undefined || !mine.value) return Promise.resolve(false)
    return run(() => api.decide(id, body), () => t('conference.decidedToast', { id: body.incidentId, decision: t(`conference.decision.${body.decision}`) }))
  }

  function recordMinutes(text: string): Promise<boolean> {
    const id = detail.value?.id
    if (id === undefined || !mine.value) return Promise.resolve(false)
    return run(() => api.recordMinutes(id, text), (c) => t('conference.held', { title: c.title }))
  }

  function move(step: number): void {
    const rows = list.value
    if (!rows.length) return
    const index = rows.findIndex((row) => row.id === selectedId.value)
    const next = rows[Math.min(rows.length - 1, Math.max(0, index < 0 ? 0 : index + step))]
    if (next) void select(next.id)
  }

  return { list, selectedId, detail, busy, mine, load, select, create, decide, recordMinutes, move }
}
