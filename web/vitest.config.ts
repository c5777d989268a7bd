import { defineConfig, mergeConfig } from 'vitest/config'
import viteConfig from './vite.config'

// Unit tests of stores and the realtime client (no server, no browser): happy-dom for the little
// DOM the stores touch. The browser tests are Playwright's, in e2e/.
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      environment: 'happy-dom',
      include: ['src/**/*.test.ts'],
    },
  }),
)
