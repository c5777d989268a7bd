// Shared by the wall benchmarks: Debian's Chromium, a signed-in wall page, API clients.
import { chromium } from '@playwright/test'

export const url = process.env.DISPATCH_URL ?? 'http://127.0.0.1:5080'
export const password = process.env.DISPATCH_PASSWORD ?? 'Dispatch#2026'

export async function token(username) {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!response.ok) throw new Error(`sign-in of ${username}: ${response.status}`)
  return (await response.json()).token
}

export async function openWall() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
  const context = await browser.newContext({ baseURL: url, viewport: { width: 1920, height: 1080 } })
  const login = await context.request.post('/api/auth/login', { data: { username: 'wall', password } })
  if (!login.ok()) throw new Error(`wall sign-in: ${login.status()}`)
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error.message))
  await page.goto('/wall')
  await page.locator('[data-testid=connection][data-state=live]').waitFor({ timeout: 120_000 })
  return { browser, context, page }
}

export function quantile(sorted, q) {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
