// Field staff positions for the maps: the REST list once, then `staff.location` events.
import { defineStore } from 'pinia'
import { computed, markRaw, shallowReactive } from 'vue'
import { staffPositions, type StaffPosition } from '../api'
import type { StaffLocationData } from '../live/events'

export const useStaffStore = defineStore('staff', () => {
  const byId = shallowReactive(new Map<number, Readonly<StaffPosition>>())

  /** Keeps the later fix of the stored and the given one. */
  function place(position: StaffPosition | StaffLocationData): void {
    const current = byId.get(position.staffId)
    if (current?.at && position.at && Date.parse(current.at) > Date.parse(position.at)) return
    byId.set(position.staffId, markRaw(Object.freeze({ ...position })))
  }

  function replace(positions: StaffPosition[]): void {
    byId.clear()
    positions.forEach(place)
  }

  /**
   * The REST picture after a (re)connection. A failure keeps the last picture: the map shows
   * where staff were rather than nobody, and the next reconnection tries again.
   */
  async function load(): Promise<void> {
    try {
      replace(await staffPositions())
    } catch (error) {
      console.warn('staff positions', error)
    }
  }

  const all = computed(() => [...byId.values()])
  /** Those with a reported position: phones on duty. */
  const reporting = computed(() => all.value.filter((s) => s.at))
  return { byId, place, replace, load, all, reporting }
})
