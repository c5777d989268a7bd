import { createI18n } from 'vue-i18n'
import zhCN from './zh-CN'
import en from './en'

export const locales = ['zh-CN', 'en'] as const
export type Locale = (typeof locales)[number]

const storageKey = 'dispatch.locale'

function isLocale(value: string | null): value is Locale {
  return (locales as readonly (string | null)[]).includes(value)
}

// `?lang=en` wins (handy for wall displays started from a URL), then the last choice, then Chinese.
function initialLocale(): Locale {
  const fromQuery = new URLSearchParams(window.location.search).get('lang')
  if (isLocale(fromQuery)) return fromQuery
  const stored = window.localStorage.getItem(storageKey)
  return isLocale(stored) ? stored : 'zh-CN'
}

export const i18n = createI18n<[typeof zhCN], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  window.localStorage.setItem(storageKey, locale)
  applyToDocument()
}

function applyToDocument(): void {
  document.documentElement.lang = i18n.global.locale.value
  document.title = i18n.global.t('app.title')
}

applyToDocument()
