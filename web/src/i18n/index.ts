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

// Times are shown in Beijing time wherever the screen is (the API gives them with +08:00).
const timeZone = 'Asia/Shanghai'
const dateTimeFormat = {
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone },
  hm: { hour: '2-digit', minute: '2-digit', hour12: false, timeZone },
  short: { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone },
  long: { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone },
} as const

export const i18n = createI18n<[typeof zhCN], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
  datetimeFormats: { 'zh-CN': dateTimeFormat, en: dateTimeFormat },
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
