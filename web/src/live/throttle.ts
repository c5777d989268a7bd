/** Runs `fn` at most once per `ms`, trailing: the last call in a burst is never lost. */
export function throttle(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let last = 0
  return () => {
    if (timer) return
    const wait = Math.max(0, last + ms - Date.now())
    timer = setTimeout(() => {
      timer = null
      last = Date.now()
      fn()
    }, wait)
  }
}
