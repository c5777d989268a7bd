// Taking a call on the console: N arms the map for a click (or the dialog finds a village by name),
// the new-incident dialog opens at that point, and the case it creates joins the queue, opened.
import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import type { Incident } from '../../api'
import { useIncidentsStore } from '../../stores/incidents'
import { toast } from './feedback'

export function useNewIncident(open: (id: number) => void) {
  const { t } = useI18n()
  const incidents = useIncidentsStore()
  const picking = ref(false)
  const newAt = ref<{ lon: number; lat: number } | null>(null)
  /** Bounds the map is to show (a village the new-incident dialog found by name). */
  const mapFocus = ref<[number, number, number, number] | null>(null)

  function startNew(): void {
    picking.value = true
    toast('info', t('console.newHint'))
  }

  function onPick(lon: number, lat: number): void {
    picking.value = false
    newAt.value = { lon, lat }
  }

  /** A village found by name: the point at its middle, the map on its bounds for a refining click. */
  function onPlace(lon: number, lat: number, bbox: [number, number, number, number]): void {
    newAt.value = { lon, lat }
    mapFocus.value = bbox
  }

  function repick(): void {
    newAt.value = null
    startNew()
  }

  function onCreated(incident: Incident): void {
    newAt.value = null
    incidents.upsert(incident)
    toast('success', t('console.created', { id: incident.id }))
    open(incident.id)
  }

  return { picking, newAt, mapFocus, startNew, onPick, onPlace, repick, onCreated }
}
