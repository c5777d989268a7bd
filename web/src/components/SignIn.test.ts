// The sign-in card's steps against a scripted server: the enrolment a role requires (which the
// browser tests cannot reach — demo mode requires no second factor), an expired challenge, the
// throttle's wait. The real server's answers are the browser tests' (e2e/two-factor.spec.ts).
import { createApp, nextTick, type App } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { checkSession, session } from '../auth'
import { i18n } from '../i18n'
import SignIn from './SignIn.vue'

type Reply = { status: number; body?: unknown; headers?: Record<string, string> }
let replies: Record<string, Reply[]>
const sent: { path: string; body: unknown }[] = []

function json({ status, body, headers }: Reply): Response {
  const type = status >= 400 ? 'application/problem+json' : 'application/json'
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } })
}

const user = { username: 'dispatcher-410602001', displayName: '淇滨区调度员', roles: ['dispatcher'], regionCode: '410602001', staffId: null, twoFactor: { enabled: true, required: true } }
const signedIn = { token: 't', expiresAt: new Date(Date.now() + 3600_000).toISOString(), user }
const wrongCode = { status: 401, body: { title: '登录失败', detail: '验证码不正确或已使用过。', errors: { code: ['验证码不正确或已使用过。'] } } }
const expired = { status: 401, body: { title: '登录失败', detail: '登录验证已过期或无效，请重新输入用户名和密码。' } }

let app: App | null = null
let root: HTMLElement

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve))
    await nextTick()
  }
}

function type(selector: string, value: string) {
  const input = root.querySelector<HTMLInputElement>(selector)!
  input.value = value
  input.dispatchEvent(new Event('input'))
}

async function submit() {
  root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
  await settle()
}

async function signInWithPassword() {
  type('#sign-in-username', user.username)
  type('#sign-in-password', 'Dispatch#2026')
  await submit()
}

const step = () => root.querySelector('[data-testid="sign-in"]')?.getAttribute('data-step')
const error = () => root.querySelector('[role="alert"]')?.textContent?.trim()

beforeEach(async () => {
  replies = { 'GET /api/auth/me': [{ status: 401 }] }
  sent.length = 0
  vi.stubGlobal('fetch', async (path: string, init: RequestInit) => {
    const key = `${init.method ?? 'GET'} ${path}`
    sent.push({ path, body: init.body ? JSON.parse(init.body as string) : null })
    const queue = replies[key]
    if (!queue?.length) throw new Error(`no reply scripted for ${key}`)
    return json(queue.length > 1 ? queue.shift()! : queue[0]!)
  })
  i18n.global.locale.value = 'zh-CN'
  await checkSession()
  root = document.createElement('div')
  document.body.append(root)
  app = createApp(SignIn).use(i18n)
  app.mount(root)
  await settle()
})

afterEach(() => {
  app?.unmount()
  root.remove()
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

describe('sign-in with a second factor', () => {
  it('enrols when the role requires it, shows the recovery codes, and enters only once they are saved', async () => {
    const codes = Array.from({ length: 10 }, (_, i) => `aaaa-bbbb-cccc-00${i}0`)
    replies['POST /api/auth/login'] = [{ status: 202, body: { kind: 'enrol', challenge: 'enrol-challenge', expiresAt: signedIn.expiresAt } }]
    replies['POST /api/auth/two-factor/enrol'] = [{ status: 200, body: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', uri: 'otpauth://totp/x', qrCode: 'data:image/png;base64,iVBORw0KGgo=' } }]
    replies['POST /api/auth/two-factor/confirm'] = [wrongCode, { status: 200, body: { recoveryCodes: codes, signedIn } }]

    await signInWithPassword()
    expect(step()).toBe('enrol')
    // In groups of four on screen; selected or copied, the key is one word.
    const secret = root.querySelector('[data-testid="totp-secret"]')!
    expect([...secret.children].map((group) => group.textContent)).toEqual(['JBSW', 'Y3DP', 'EHPK', '3PXP', 'JBSW', 'Y3DP', 'EHPK', '3PXP'])
    expect(secret.textContent).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP')
    expect(root.querySelector<HTMLImageElement>('.qr img')!.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    expect(sent.at(-1)).toEqual({ path: '/api/auth/two-factor/enrol', body: { challenge: 'enrol-challenge' } })

    // Letters and spaces typed into the code keep only the digits.
    type('#enrol-code', '12 34 5a6')
    expect(root.querySelector<HTMLInputElement>('#enrol-code')!.value).toBe('123456')
    await submit()
    expect(step()).toBe('enrol')
    expect(error()).toBe('验证码不正确或已使用过。')
    expect(session.status).toBe('signedOut')

    type('#enrol-code', '654321')
    await submit()
    expect(sent.at(-1)).toEqual({ path: '/api/auth/two-factor/confirm', body: { challenge: 'enrol-challenge', code: '654321' } })
    expect(step()).toBe('codes')
    expect([...root.querySelectorAll('[data-testid="recovery-code"]')].map((li) => li.textContent)).toEqual(codes)
    // The session is open on the server, but the screen waits until the codes are saved.
    expect(session.status).toBe('signedOut')
    root.querySelector<HTMLButtonElement>('.auth-primary')!.click()
    await settle()
    expect(session.status).toBe('signedIn')
    expect(session.user?.username).toBe(user.username)
  })

  it('takes a recovery code instead of the app code', async () => {
    replies['POST /api/auth/login'] = [{ status: 202, body: { kind: 'code', challenge: 'code-challenge', expiresAt: signedIn.expiresAt } }]
    replies['POST /api/auth/login/second-factor'] = [{ status: 200, body: signedIn }]
    await signInWithPassword()
    expect(step()).toBe('code')
    const code = root.querySelector<HTMLInputElement>('#sign-in-code')!
    expect([code.getAttribute('inputmode'), code.getAttribute('autocomplete')]).toEqual(['numeric', 'one-time-code'])

    root.querySelector<HTMLButtonElement>('.auth-link')!.click()
    await settle()
    type('#sign-in-recovery', ' abcd-efgh-ijkl-mnop ')
    await submit()
    expect(sent.at(-1)).toEqual({ path: '/api/auth/login/second-factor', body: { challenge: 'code-challenge', recoveryCode: 'abcd-efgh-ijkl-mnop' } })
    expect(session.status).toBe('signedIn')
  })

  it('returns to the password step when the challenge has expired, saying why', async () => {
    replies['POST /api/auth/login'] = [{ status: 202, body: { kind: 'code', challenge: 'old', expiresAt: signedIn.expiresAt } }]
    replies['POST /api/auth/login/second-factor'] = [expired]
    await signInWithPassword()
    type('#sign-in-code', '123456')
    await submit()
    expect(step()).toBe('password')
    expect(error()).toBe('登录验证已过期或无效，请重新输入用户名和密码。')
    expect(root.querySelector<HTMLInputElement>('#sign-in-username')!.value).toBe(user.username)
  })

  it('counts down the wait the throttle asks for, refusing to send until it is over', async () => {
    replies['POST /api/auth/login'] = [{ status: 202, body: { kind: 'code', challenge: 'c', expiresAt: signedIn.expiresAt } }]
    replies['POST /api/auth/login/second-factor'] = [{ status: 429, body: { title: '请求过多', detail: '登录尝试过多，请 3 秒后再试。' }, headers: { 'Retry-After': '3' } }]
    await signInWithPassword()
    vi.useFakeTimers()
    type('#sign-in-code', '123456')
    root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }))
    await vi.advanceTimersByTimeAsync(0)
    expect(error()).toBe('尝试次数过多，请 3 秒后再试')
    expect(root.querySelector<HTMLButtonElement>('.auth-primary')!.disabled).toBe(true)
    await vi.advanceTimersByTimeAsync(2000)
    expect(error()).toBe('尝试次数过多，请 1 秒后再试')
    await vi.advanceTimersByTimeAsync(1000)
    expect(error()).toBeUndefined()
    expect(root.querySelector<HTMLButtonElement>('.auth-primary')!.disabled).toBe(false)
  })
})
