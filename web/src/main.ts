import { createApp } from 'vue'
import { createPinia } from 'pinia'
import '@fontsource/noto-sans/latin-400.css'
import '@fontsource/noto-sans/latin-700.css'
import './styles.css'
import App from './App.vue'
import { checkSession } from './auth'
import { i18n } from './i18n'
import { router } from './router'

void checkSession()
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app')
