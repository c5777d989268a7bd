// The hub's incident.sla signals as notifications: amber when 80 % of a stage's time is gone, red
// when its deadline passes; and assignment.unacknowledged, a member silent past the acknowledge
// time (amber: the dispatcher may send someone else). A click opens the incident. At most a few on screen: a burst (a replay
// after a reconnect, a morning of breaches) closes the oldest rather than covering the map.
import { onBeforeUnmount } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElNotification, type NotificationHandle } from 'element-plus'
import type { SlaEventData, UnacknowledgedEventData } from '../../live/events'

const maxShown = 3

export function useSlaNotices(open: (id: number) => void) {
  const { t } = useI18n()
  const shown: NotificationHandle[] = []
  const forget = (handle: NotificationHandle) => {
    const i = shown.indexOf(handle)
    if (i >= 0) shown.splice(i, 1)
  }

  function show(incidentId: number, type: 'error' | 'warning', title: string, message: string, customClass: string, duration: number): void {
    while (shown.length >= maxShown) shown.shift()?.close()
    const handle: NotificationHandle = ElNotification({
      type, title, message, customClass, duration,
      offset: 64,
      onClick: () => {
        open(incidentId)
        handle.close()
      },
      onClose: () => forget(handle),
    })
    shown.push(handle)
  }

  function notify(data: SlaEventData): void {
    const stage = t(`console.sla.stage.${data.stage}`)
    const breach = data.kind === 'breach'
    // A breach stays until someone looks at it; a warning passes.
    show(data.incidentId, breach ? 'error' : 'warning',
      `#${data.incidentId} ${data.categoryName} · ${t(breach ? 'console.sla.breach' : 'console.sla.warning', { stage })}`,
      data.description, `sla-notice sla-${data.kind}`, breach ? 0 : 10_000)
  }

  function notifySilent(data: UnacknowledgedEventData): void {
    show(data.incidentId, 'warning', `#${data.incidentId} · ${t('console.sla.silent', { name: data.staffName })}`,
      t('console.sla.silentHint'), 'sla-notice sla-silent', 20_000)
  }

  onBeforeUnmount(() => [...shown].forEach((handle) => handle.close()))

  return { notify, notifySilent }
}
