// What a step the server refused says, for incidents and alerts alike. A stale version (412) is
// never a silent overwrite: a notice that stays, and the fresh state shown. A step the state no
// longer allows (409) says why and shows the fresh state too; anything else only says it failed.
import { useI18n } from 'vue-i18n'
import { ElNotification } from 'element-plus'
import { ApiError } from '../../api'

export interface RefusedStepOptions {
  toast: (type: 'error', message: string) => void
  describe: (error: unknown) => string
}

export function useRefusedStep({ toast, describe }: RefusedStepOptions) {
  const { t } = useI18n()
  return async function refused(error: unknown, stale: { title: string; message: string }, reload: () => Promise<void>): Promise<void> {
    if (error instanceof ApiError && error.status === 412) {
      ElNotification({ type: 'warning', ...stale, duration: 0, offset: 56, customClass: 'stale-notice' })
      await reload()
    } else if (error instanceof ApiError && error.status === 409) {
      toast('error', t('console.notAllowed', { reason: describe(error) }))
      await reload()
    } else {
      toast('error', t('console.failed', { reason: describe(error) }))
    }
  }
}
