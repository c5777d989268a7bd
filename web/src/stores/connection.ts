// The live connection as every screen's badge and banner read it.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ConnectionState } from '../live/realtime'

export const useConnectionStore = defineStore('connection', () => {
  const state = ref<ConnectionState>('stopped')
  /** When the screen last heard from the server (an event, or a successful reload). */
  const updatedAt = ref<Date | null>(null)
  /** How many times the connection was lost and came back. */
  const reconnects = ref(0)
  /** When the connection was lost, while it is. */
  const lostAt = ref<Date | null>(null)

  function set(next: ConnectionState): void {
    if (next === 'reconnecting' && state.value === 'live') lostAt.value = new Date()
    if (next === 'live' && lostAt.value) {
      reconnects.value++
      lostAt.value = null
    }
    state.value = next
  }

  function touch(at = new Date()): void {
    updatedAt.value = at
  }

  const lost = computed(() => state.value === 'reconnecting')
  return { state, updatedAt, reconnects, lostAt, lost, set, touch }
})
