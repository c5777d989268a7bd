// Installable: the field app's manifest is linked while it is on screen, and its service worker
// (field-sw.js, built by vite-field-shell.ts; scope /field) keeps the app shell for a phone that
// opens it with no network.
import { onBeforeUnmount, onMounted } from 'vue'

export function useInstallable(): void {
  let link: HTMLLinkElement | null = null
  let theme: HTMLMetaElement | null = null
  onMounted(() => {
    link = Object.assign(document.createElement('link'), { rel: 'manifest', href: '/field.webmanifest' })
    theme = Object.assign(document.createElement('meta'), { name: 'theme-color', content: '#0b2236' })
    document.head.append(link, theme)
    if ('serviceWorker' in navigator)
      navigator.serviceWorker.register('/field-sw.js', { scope: '/field' }).catch((error) => console.warn('service worker', error))
  })
  onBeforeUnmount(() => {
    link?.remove()
    theme?.remove()
  })
}
