// The hub's incident.sla signals as notifications: amber when 80 % of a stage's time is gone, red
// when its deadline passes; a click opens the incident. At most a few on screen: a burst (a replay
// after a reconnect, a morning of breaches) closes the oldest rather than covering the map.
import { onBeforeUnmount } from 'vue'
import { useI18n } from 'vue-i18n'
import { ElNotification, type NotificationHandle } from 'element-plus'
import type { SlaEventData } from '../../live/events'

const maxShown = 3

export function useSlaNotices(open: (id: number) => void) {
  const { t } = useI18n()
  const shown: NotificationHandle[] = []
  const forget = (handle: NotificationHandle) => {
    const i = shown.indexOf(handle)
    if (i >= 0) shown.splice(i, 1)
  }

  function notify(data: SlaEventData): void {
    while (shown.length >= maxShown) shown.shift()?.close()
    const stage = t(`console.sla.stage.${data.stage}`)
    const breach = data.kind === 'breach'
    const handle: NotificationHandle = ElNotification({
      type: breach ? 'error' : 'warning',
      title: `#${data.incidentId} ${data.categoryName} · ${t(breach ? 'console.sla.breach' : 'console.sla.warning', { stage })}`,
      message: data.description,
      customClass: `sla-notice sla-${data.kind}`,
      offset: 64,
      // A breach stays until someone looks at it; a warning passes.
      duration: breach ? 0 : 10_000,
      onClick: () => {
        open(data.incidentId)
        handle.close()
      },
      onClose: () => forget(handle),
    })
    shown.push(handle)
  }

  onBeforeUnmount(() => [...shown].forEach((handle) => handle.close()))

  return { notify }
}
