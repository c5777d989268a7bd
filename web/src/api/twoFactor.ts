// The second step of a sign-in and the account's own security: TOTP codes, enrolling an
// authenticator app, recovery codes, the password. Shapes as in the server's Identity/ folder.
import { send } from './http'
import type { SignInResult } from '../api'

/** The password was right; a code (`code`) or enrolling an authenticator (`enrol`) comes next. */
export interface SecondFactorChallenge {
  kind: 'code' | 'enrol'
  /** Sealed by the server, valid for five minutes: it grants only the right to the next step. */
  challenge: string
  expiresAt: string
}

export interface TwoFactorState {
  enabled: boolean
  /** The account's roles must sign in with a second factor. */
  required: boolean
}

/** What an authenticator app needs: the base32 secret, its otpauth:// URI, and that URI as a QR code (a data: URL of a PNG). */
export interface Enrolment {
  secret: string
  uri: string
  qrCode: string
}

/** The ten recovery codes, shown once; and the session when confirming was the last step of a sign-in. */
export interface Confirmed {
  recoveryCodes: string[]
  signedIn: SignInResult | null
}

export type SecondFactor = { code: string } | { recoveryCode: string }

/** 401 with `errors.code` or `errors.recoveryCode` when wrong; 401 without `errors` when the challenge has expired. */
export async function signInSecondFactor(challenge: string, factor: SecondFactor): Promise<SignInResult> {
  const response = await send('/api/auth/login/second-factor', { method: 'POST', json: { challenge, ...factor } })
  return (await response.json()) as SignInResult
}

/** A new secret, during a sign-in (with its enrol challenge) or signed in (without); 409 when already enrolled. */
export async function startEnrolment(challenge?: string): Promise<Enrolment> {
  const response = await send('/api/auth/two-factor/enrol', { method: 'POST', json: challenge ? { challenge } : {} })
  return (await response.json()) as Enrolment
}

/** The first code from the app turns the factor on. */
export async function confirmEnrolment(code: string, challenge?: string): Promise<Confirmed> {
  const response = await send('/api/auth/two-factor/confirm', { method: 'POST', json: challenge ? { challenge, code } : { code } })
  return (await response.json()) as Confirmed
}

/** Ten fresh recovery codes for a current code; the old ones stop working. */
export async function newRecoveryCodes(code: string): Promise<string[]> {
  const response = await send('/api/auth/two-factor/recovery-codes', { method: 'POST', json: { code } })
  return ((await response.json()) as Confirmed).recoveryCodes
}

/** 400 naming `currentPassword` or `newPassword` when refused; every other session of the account ends. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await send('/api/auth/password', { method: 'POST', json: { currentPassword, newPassword } })
}
