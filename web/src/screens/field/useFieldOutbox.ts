// Every action of the worker goes through the outbox (outbox.ts), so a weak network loses nothing:
// it is sent at once when it can, again when the network or the hub comes back, and every 15 s.
import { onBeforeUnmount, onMounted, ref, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import { showNotify, showToast } from 'vant'
import * as api from '../../api'
import { useConnectionStore } from '../../stores/connection'
import { Outbox, type OutboxItem, type Outcome } from './outbox'
import { IdbOutboxStore, MemoryOutboxStore, StorageError, type OutboxStore } from './outboxStore'

declare global {
  interface Window {
    __outbox?: Outbox
  }
}

export interface OutboxTasks {
  refreshTask(id: number): Promise<void>
  settle(incident: api.Incident): void
}

export function useFieldOutbox(me: string, tasks: OutboxTasks) {
  const { t } = useI18n()
  const connection = useConnectionStore()
  const online = ref(navigator.onLine)
  const pending = ref<readonly OutboxItem[]>([])
  /** False when the phone cannot keep unsent work (no IndexedDB): said on screen, offline reports refused. */
  const durable = ref(true)
  const outbox = openOutbox()

  /** The worker's outbox in IndexedDB (a localStorage one from before moves over), or in memory where there is none. */
  async function openOutbox(): Promise<Outbox> {
    const outboxApi = { ...api, isApiError: (e: unknown): e is api.ApiError => e instanceof api.ApiError }
    let store: OutboxStore
    try {
      store = await IdbOutboxStore.open()
    } catch (error) {
      console.warn('outbox storage', error)
      store = new MemoryOutboxStore()
    }
    const box = await Outbox.open(outboxApi, me, store, window.localStorage).catch((error) => {
      console.warn('outbox', error)
      return Outbox.open(outboxApi, me, new MemoryOutboxStore(), window.localStorage)
    })
    durable.value = box.durable
    pending.value = [...box.pending]
    window.__outbox = box
    return box
  }

  /** Says in the worker's language why something was not kept. */
  function storageProblem(error: unknown): void {
    console.warn('outbox', error)
    const full = error instanceof StorageError && error.reason === 'full'
    showNotify({ type: 'danger', message: t(full ? 'field.storageFull' : 'field.storageUnavailable'), duration: 6000 })
  }

  function report(outcomes: Outcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.result === 'dropped') showNotify({ type: 'danger', message: t('field.dropped', { reason: outcome.reason }) })
      else if (outcome.item.kind === 'report') showToast(t('field.reported'))
      else if (outcome.item.kind === 'visit') showToast(t(outcome.item.finding === 'settled' ? 'visits.settledDone' : 'visits.aliveDone'))
      else if (outcome.item.kind === 'mediation') showToast(t('mediation.recorded', { id: outcome.item.incidentId }))
      else if (outcome.item.kind === 'canvass') showToast(t('canvass.saved', { key: outcome.item.body.key }))
      else if (outcome.item.kind === 'canvassIncident') showToast(t('canvass.incidentMade'))
      if (outcome.result === 'done' && outcome.incident) tasks.settle(outcome.incident)
    }
  }

  async function flush(): Promise<void> {
    const box = await outbox
    const outcomes = await box.flush()
    pending.value = [...box.pending]
    report(outcomes)
    const touched = new Set(outcomes.flatMap((o) => (o.item.kind === 'step' || o.item.kind === 'mediation' ? [o.item.incidentId] : [])))
    for (const id of touched) void tasks.refreshTask(id)
  }

  /** Keeps an item and sends it when it can: false (and said why) when the phone could not keep it. */
  async function enqueue(item: OutboxItem): Promise<boolean> {
    const box = await outbox
    try {
      await box.add(item)
    } catch (error) {
      storageProblem(error)
      return false
    }
    pending.value = [...box.pending]
    void flush()
    return true
  }

  const waiting = (incident: api.Incident) => pending.value.some((item) => 'incidentId' in item && item.incidentId === incident.id)

  const onOnline = () => {
    online.value = true
    void flush()
  }
  const onOffline = () => (online.value = false)
  watch(
    () => connection.state,
    (state) => state === 'live' && void flush(),
  )
  const retry = setInterval(() => pending.value.length && void flush(), 15_000)

  onMounted(() => {
    window.addEventListener('online', onOnline)
    window.addEventListener('offline', onOffline)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('online', onOnline)
    window.removeEventListener('offline', onOffline)
    clearInterval(retry)
    void outbox.then((box) => window.__outbox === box && delete window.__outbox)
  })

  return { online, pending, durable, enqueue, flush, waiting }
}
