// Wires a screen to the hub: events into the stores, the connection into the badge and banner,
// and the screen's own REST reload on the first connect and after a resync.
import { onBeforeUnmount, onMounted } from 'vue'
import { reportUnauthorized } from '../api'
import { accessToken } from '../auth'
import { useAlertsStore } from '../stores/alerts'
import { useConnectionStore } from '../stores/connection'
import { useIncidentsStore } from '../stores/incidents'
import { useStaffStore } from '../stores/staff'
import type { LiveEvent } from './events'
import { RealtimeClient, signalrHub } from './realtime'

declare global {
  interface Window {
    /** The screen's hub client, for the browser tests (lastSeq, duplicates) and a look from the console. */
    __live?: RealtimeClient
  }
}

export interface LiveOptions {
  reload: () => Promise<void>
  onEvent?: (event: LiveEvent) => void
}

export function useLive({ reload, onEvent }: LiveOptions): RealtimeClient {
  const connection = useConnectionStore()
  const incidents = useIncidentsStore()
  const staff = useStaffStore()
  const alerts = useAlertsStore()
  const client = new RealtimeClient({
    hub: (retry) => signalrHub(retry, accessToken),
    onEvent(event) {
      connection.touch()
      switch (event.type) {
        case 'incident.created':
        case 'incident.updated':
          incidents.applyEvent(event.type, event.data)
          break
        case 'staff.location':
          staff.place(event.data)
          break
        case 'alert.raised':
        case 'alert.updated':
          alerts.applyEvent(event.data)
          break
        case 'assignment.created':
        case 'assignment.updated':
        case 'assignment.unacknowledged':
        // A signal, not a change: incident.updated brings the status; the console notifies (onEvent).
        case 'incident.sla':
          break
        default: {
          // A type the server added after this build: ignored, and the compiler knows none is missing.
          const unknown: never = event
          void unknown
        }
      }
      onEvent?.(event)
    },
    async reload() {
      await reload()
      connection.touch()
    },
    onState: (state) => connection.set(state),
    onUnauthorized: reportUnauthorized,
  })
  onMounted(() => {
    window.__live = client
    void client.start()
  })
  onBeforeUnmount(() => {
    void client.stop()
    if (window.__live === client) delete window.__live
  })
  return client
}
