// Keeps the screen on while the page is visible (Screen Wake Lock API). The browser releases the
// lock whenever the page is hidden; it is asked for again each time the page shows.
import { onBeforeUnmount, onMounted, ref } from 'vue'

export function useWakeLock() {
  const held = ref(false)
  let sentinel: WakeLockSentinel | null = null

  async function request(): Promise<void> {
    if (!('wakeLock' in navigator) || document.visibilityState !== 'visible') return
    try {
      sentinel = await navigator.wakeLock.request('screen')
      held.value = true
      sentinel.addEventListener('release', () => (held.value = false))
    } catch {
      // Refused (no user activation yet, battery saver): asked again on the next visibility change or click.
      held.value = false
    }
  }

  const onVisible = () => {
    if (document.visibilityState === 'visible' && !held.value) void request()
  }
  onMounted(() => {
    void request()
    document.addEventListener('visibilitychange', onVisible)
    document.addEventListener('click', onVisible)
  })
  onBeforeUnmount(() => {
    document.removeEventListener('visibilitychange', onVisible)
    document.removeEventListener('click', onVisible)
    void sentinel?.release()
  })
  return held
}
