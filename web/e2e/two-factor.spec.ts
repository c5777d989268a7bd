// Two-step sign-in against the real server, with a real TOTP generator in place of the phone:
// enrolling by choice from the header's security dialog, the code step (a wrong code refused, the
// right one in), new recovery codes, and a recovery code that works once. The server accepts each
// 30-second step once, so a second code waits for the next step. Also the dialog's password change.
import { readFile } from 'node:fs/promises'
import { expect, test, type Page } from '@playwright/test'
import * as OTPAuth from 'otpauth'
import { apiAs, mapIdle, password, screenshots, watch } from './kit'

const wrongCode = '验证码不正确或已使用过。'

/**
 * A township dispatcher of 鹤山区, a different one each minute: the sign-in throttle forgives about
 * five wrong tries per account and address, and a run spends two, so a re-run minutes later
 * starts on an account whose count has not been touched.
 */
async function account(): Promise<string> {
  const admin = await apiAs('admin')
  const district = (await (await admin.get('/api/regions/410602')).json()) as { children: { code: string }[] }
  await admin.dispose()
  return `dispatcher-${district.children[Math.floor(Date.now() / 60_000) % district.children.length]!.code}`
}

/** The admin's reset: no secret, no recovery codes, no session. Before the test for a clean slate; after it, to leave the demo account as it was. */
async function resetTwoFactor(username: string): Promise<void> {
  const admin = await apiAs('admin')
  const reset = await admin.delete(`/api/users/${username}/two-factor`)
  expect(reset.status(), await reset.text()).toBe(200)
  await admin.dispose()
}

/** The phone: codes for a secret, each from a 30-second step later than the last one used. */
function authenticator(secret: string) {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 })
  let lastStep = -1
  return {
    async code(): Promise<string> {
      let step = Math.floor(Date.now() / 30_000)
      if (step <= lastStep) {
        await new Promise((resolve) => setTimeout(resolve, (lastStep + 1) * 30_000 - Date.now() + 250))
        step = lastStep + 1
      }
      lastStep = step
      return totp.generate({ timestamp: step * 30_000 + 1_000 })
    },
    /** A code of an hour from now: well-formed, and wrong. */
    wrong: () => totp.generate({ timestamp: Date.now() + 3_600_000 }),
  }
}

async function signInWithPassword(page: Page, username: string) {
  await page.getByLabel('用户名', { exact: true }).fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录', exact: true }).click()
}

async function signOut(page: Page) {
  // Once the map has all it asked for: nothing is cut off half-way by the sign-out.
  await mapIdle(page)
  await page.getByRole('button', { name: '退出登录' }).click()
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible()
}

const card = (page: Page) => page.getByTestId('sign-in')

test('two-step sign-in: enrol from the security dialog, codes, new recovery codes, a recovery code used once', async ({ page }) => {
  test.setTimeout(300_000) // up to three waits for the next 30-second step
  const username = await account()
  await resetTwoFactor(username)
  // The refusals this test causes on purpose: the first visit's session check, and wrong codes.
  const seen = watch(page, [/HTTP 401 GET \/api\/auth\/me/, /HTTP 401 POST \/api\/auth\/login\/second-factor/, /status of 401/])

  await page.goto('/')
  await signInWithPassword(page, username)
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()

  let phone!: ReturnType<typeof authenticator>
  let recoveryCodes: string[] = []
  const dialog = page.getByTestId('security-dialog')

  await test.step('enrol by choice from the user chip', async () => {
    await page.getByTestId('user').click()
    await expect(dialog).toBeVisible()
    await expect(dialog.getByTestId('two-factor-status')).toHaveText('未启用')
    await dialog.getByRole('button', { name: '启用两步验证' }).click()

    const secret = dialog.getByTestId('totp-secret')
    await expect(secret).toHaveText(/^[A-Z2-7]{32}$/)
    await expect(dialog.locator('.qr img')).toHaveJSProperty('complete', true)
    await expect(dialog.locator('.secret span')).toHaveCount(8)
    phone = authenticator((await secret.textContent())!)
    await page.evaluate(() => document.fonts.ready)
    await dialog.screenshot({ path: `${screenshots}two-factor-enrol-zh.png` })

    await dialog.getByLabel('输入 App 上显示的 6 位验证码').fill(await phone.code())
    await dialog.getByRole('button', { name: '启用并继续' }).click()
    const codes = dialog.getByTestId('recovery-code')
    await expect(codes).toHaveCount(10)
    recoveryCodes = await codes.allTextContents()
    expect(recoveryCodes.every((code) => /^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/.test(code))).toBe(true)
    await dialog.screenshot({ path: `${screenshots}two-factor-recovery-codes-zh.png` })

    // Escape does not close the dialog over codes that are shown only once.
    await page.keyboard.press('Escape')
    await expect(codes).toHaveCount(10)
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: '下载为 .txt 文件' }).click()])
    expect(download.suggestedFilename()).toBe(`dispatch-recovery-codes-${username}.txt`)
    const file = await readFile(await download.path(), 'utf8')
    for (const code of recoveryCodes) expect(file).toContain(code)

    await dialog.getByRole('button', { name: '我已保存恢复码，继续' }).click()
    await expect(dialog.getByTestId('two-factor-status')).toHaveText('已启用')
    await expect(page.getByTestId('two-factor-on')).toBeVisible()
    await expect(dialog.getByTestId('password-form')).toBeVisible()
    await dialog.screenshot({ path: `${screenshots}security-zh.png` })
    await page.keyboard.press('Escape')
    await expect(dialog).toHaveCount(0)
  })

  await test.step('the next sign-in asks for a code: a wrong one is refused, the right one gets in', async () => {
    await signOut(page)
    await signInWithPassword(page, username)
    await expect(card(page)).toHaveAttribute('data-step', 'code')
    const code = page.getByLabel('6 位验证码')
    await expect(code).toBeFocused()
    await expect(code).toHaveAttribute('inputmode', 'numeric')
    await expect(code).toHaveAttribute('autocomplete', 'one-time-code')
    await expect(card(page)).toContainText(username)
    await page.mouse.move(0, 0) // no hover on the button just clicked through
    await page.evaluate(() => document.fonts.ready)
    await page.screenshot({ path: `${screenshots}two-factor-code-zh.png` })

    await code.fill(phone.wrong())
    await page.getByRole('button', { name: '验证', exact: true }).click()
    await expect(page.getByTestId('sign-in-error')).toHaveText(wrongCode)
    await expect(card(page)).toHaveAttribute('data-step', 'code')
    await expect(code).toHaveValue('')
    await expect(code).toBeFocused()

    await code.fill(await phone.code())
    await page.getByRole('button', { name: '验证', exact: true }).click()
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
    await expect(page.getByTestId('two-factor-on')).toBeVisible()
  })

  await test.step('new recovery codes for a current code; the old ones stop working', async () => {
    await page.getByTestId('user').click()
    await dialog.getByRole('button', { name: '重新生成恢复码' }).click()
    await dialog.getByLabel('输入验证器上当前的 6 位验证码，以确认是您本人').fill(await phone.code())
    await dialog.getByRole('button', { name: '生成新的恢复码' }).click()
    const codes = dialog.getByTestId('recovery-code')
    await expect(codes).toHaveCount(10)
    const fresh = await codes.allTextContents()
    expect(fresh.filter((code) => recoveryCodes.includes(code))).toEqual([])
    await dialog.getByRole('button', { name: '我已保存恢复码，继续' }).click()
    await expect(dialog.getByTestId('two-factor-status')).toHaveText('已启用')
    await dialog.getByRole('button', { name: '关闭' }).click()
    await expect(dialog).toHaveCount(0)
    recoveryCodes = fresh
  })

  await test.step('a recovery code signs in once, and is refused the second time', async () => {
    const withRecoveryCode = async (recoveryCode: string) => {
      await signInWithPassword(page, username)
      await expect(card(page)).toHaveAttribute('data-step', 'code')
      await page.getByRole('button', { name: '手机不在身边？使用恢复码' }).click()
      const field = page.getByLabel('恢复码', { exact: true })
      await expect(field).toBeFocused()
      await field.fill(recoveryCode)
      await page.getByRole('button', { name: '验证', exact: true }).click()
    }

    await signOut(page)
    await withRecoveryCode(recoveryCodes[0]!)
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()

    await signOut(page)
    await withRecoveryCode(recoveryCodes[0]!)
    await expect(page.getByTestId('sign-in-error')).toHaveText(wrongCode)
    await expect(card(page)).toHaveAttribute('data-step', 'code')
    // Another of the codes still works (and gives this account's count back).
    await page.getByLabel('恢复码', { exact: true }).fill(recoveryCodes[1]!)
    await page.getByRole('button', { name: '验证', exact: true }).click()
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
  })

  await signOut(page)
  await resetTwoFactor(username)
  expect(seen.problems).toEqual([])
  expect(seen.foreign).toEqual([])
})

test('the security dialog changes the password: a wrong current one refused, other sessions ended', async ({ page }) => {
  const username = (await account()).replace('dispatcher-', 'supervisor-')
  const admin = await apiAs('admin')
  const restore = () => admin.put(`/api/users/${username}/password`, { data: { newPassword: password } })
  expect((await restore()).status()).toBe(200)
  const seen = watch(page, [/HTTP 401 GET \/api\/auth\/me/, /HTTP 400 POST \/api\/auth\/password/, /HTTP 401 POST \/api\/auth\/login/, /status of (400|401)/])
  const elsewhere = await apiAs(username)
  const changed = `${password}-新`
  try {
    await page.goto('/')
    await signInWithPassword(page, username)
    await page.getByTestId('user').click()
    const form = page.getByTestId('password-form')
    const fill = async (current: string, next: string, again = next) => {
      await form.getByLabel('当前密码').fill(current)
      await form.getByLabel('新密码', { exact: true }).fill(next)
      await form.getByLabel('确认新密码').fill(again)
      await form.getByRole('button', { name: '修改密码' }).click()
    }

    await fill(password, changed, `${changed}!`)
    await expect(form.getByTestId('password-error')).toHaveText('两次输入的新密码不一致')
    await fill(`${password}-wrong`, changed)
    await expect(form.getByTestId('password-error')).toHaveText('当前密码不正确。')
    await fill(password, changed)
    await expect(form.getByTestId('password-changed')).toHaveText('密码已修改，其他设备上的登录已退出。')
    await expect(form.getByLabel('当前密码')).toHaveValue('')
    // This screen's session goes on; the other one ended with the change.
    expect((await page.request.get('/api/auth/me')).status()).toBe(200)
    expect((await elsewhere.get('/api/auth/me')).status()).toBe(401)

    await page.getByRole('button', { name: '关闭' }).click()
    await signOut(page)
    await signInWithPassword(page, username)
    await expect(page.getByTestId('sign-in-error')).toHaveText('用户名或密码错误。')
    await page.getByLabel('密码', { exact: true }).fill(changed)
    await page.getByLabel('密码', { exact: true }).press('Enter')
    await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible()
    await signOut(page)
  } finally {
    expect((await restore()).status()).toBe(200)
    await Promise.all([admin.dispose(), elsewhere.dispose()])
  }
  expect(seen.problems).toEqual([])
})
