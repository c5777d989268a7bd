// One request a form sends at a time, and what to say when it fails: the server's own words where
// it gave some (a field error, else the detail), ours otherwise, and a countdown while the sign-in
// throttle makes the account wait (429 with Retry-After).
import { computed, onBeforeUnmount, ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '../../api'

export interface Message {
  text: string
  /** The server writes Chinese whatever the UI language; lang picks the right glyph forms. */
  lang?: string
}

/** An expired or forged sign-in challenge: a 401 that names no field. The password step comes again. */
export function isExpired(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && !error.problem?.errors
}

export function useDescribe() {
  const { t } = useI18n()
  return (error: unknown): Message => {
    if (!(error instanceof ApiError)) return { text: t('auth.unreachable') }
    const field = Object.values(error.problem?.errors ?? {}).flat()[0]
    const fromServer = field || error.problem?.detail || error.problem?.title
    if (fromServer) return { text: fromServer, lang: 'zh-CN' }
    if (error.status === 401) return { text: t('auth.wrongCredentials') }
    if (error.status === 423 || error.status === 429) return { text: t('auth.locked') }
    return { text: t('auth.failed', { status: error.status }) }
  }
}

export function useAttempt() {
  const { t } = useI18n()
  const describe = useDescribe()
  const busy = ref(false)
  /** The last failure: the server's refusal, or the key of our own message (an empty field). */
  const error = ref<unknown>(null)
  const waiting = ref(0)
  let timer: ReturnType<typeof setInterval> | undefined

  function wait(seconds: number) {
    clearInterval(timer)
    waiting.value = seconds
    timer = setInterval(() => {
      if (--waiting.value > 0) return
      clearInterval(timer)
      error.value = null
    }, 1000)
  }
  onBeforeUnmount(() => clearInterval(timer))

  /** The work's result, or undefined when it failed (`error` says why). */
  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (busy.value || waiting.value > 0) return undefined
    busy.value = true
    error.value = null
    try {
      return await work()
    } catch (failure) {
      error.value = failure
      if (failure instanceof ApiError && failure.retryAfter) wait(failure.retryAfter)
      return undefined
    } finally {
      busy.value = false
    }
  }

  const message = computed((): Message | null => {
    if (waiting.value > 0) return { text: t('auth.wait', { seconds: waiting.value }) }
    if (error.value === null) return null
    if (typeof error.value === 'string') return { text: t(error.value) }
    return describe(error.value)
  })

  return {
    busy,
    error,
    message,
    /** Submitting is pointless while the throttle says wait. */
    blocked: computed(() => busy.value || waiting.value > 0),
    expired: computed(() => isExpired(error.value)),
    run,
    /** A refusal of our own before anything is sent: the i18n key of what is missing. */
    refuse: (key: string) => (error.value = key),
  }
}
