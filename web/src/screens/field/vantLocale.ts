// Vant's own texts (the picker's 确认/取消, the uploader's 上传中…) follow the app's language.
// Vant keeps one locale for the page; it is set whenever the app's language changes.
import { watch } from 'vue'
import { Locale } from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'
import { i18n } from '../../i18n'

export function useVantLocale(): void {
  watch(
    i18n.global.locale,
    (locale) => (locale === 'en' ? Locale.use('en-US', enUS) : Locale.use('zh-CN', zhCN)),
    { immediate: true },
  )
}
