import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { fieldShell } from './vite-field-shell'

/**
 * Vant's icon font is embedded as woff2, with a fallback woff on a CDN (at.alicdn.com) that a
 * browser without woff2 would fetch. Nothing may leave the server's origin: the fallback goes.
 */
function noForeignFonts(): Plugin {
  return {
    name: 'dispatch-no-foreign-fonts',
    enforce: 'pre',
    transform(code, id) {
      if (!/vant[\\/]lib[\\/]index\.css/.test(id)) return null
      return code.replace(/,\s*url\(\/\/at\.alicdn\.com\/[^)]*\)\s*format\("woff"\)/g, '')
    },
  }
}

// The ASP.NET server serves its wwwroot as static files with an SPA fallback to index.html,
// so the build goes straight there. `npm run dev` proxies the server's routes instead.
const server = process.env.DISPATCH_URL ?? 'http://127.0.0.1:5080'

export default defineConfig({
  // Composition API only: the Options API and vue-i18n's legacy API are compiled out.
  plugins: [noForeignFonts(), vue({ features: { optionsAPI: false } }), fieldShell()],
  define: {
    __VUE_I18N_LEGACY_API__: 'false',
    __VUE_I18N_FULL_INSTALL__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: '../src/Dispatch.Server/wwwroot',
    emptyOutDir: true,
    // MapLibre alone is ~1.1 MB minified and cannot be split further; warn only above that.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // MapLibre in a chunk of its own: it changes far less often than the app, so browsers keep it.
        codeSplitting: { groups: [{ name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ }] },
      },
    },
  },
  server: {
    proxy: Object.fromEntries(['/api', '/tiles', '/health', '/hubs'].map((path) => [path, { target: server, ws: path === '/hubs' }])),
  },
})
