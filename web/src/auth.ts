// Who is signed in, for every screen. The session itself is the server's HttpOnly cookie; this
// module only knows whether there is one, and App.vue shows the sign-in form until there is.
import { reactive, readonly } from 'vue'
import * as api from './api'

/** Why the sign-in form is showing, when it is not simply the first visit. */
export type SignedOutReason = { kind: 'expired' } | { kind: 'failed'; error: unknown }

interface Session {
  /** `checking` until the server has answered whether the cookie still holds a session. */
  status: 'checking' | 'signedOut' | 'signedIn'
  user: api.User | null
  reason: SignedOutReason | null
  /** Offered again in the form after the session expired. */
  lastUsername: string
}

const state = reactive<Session>({ status: 'checking', user: null, reason: null, lastUsername: '' })

export const session = readonly(state)

// Kept in memory only, for the realtime hub should it want a bearer token; on the same origin the
// cookie authorises the hub too, so a reload losing it costs nothing.
let token: { value: string; expiresAt: string } | null = null

/** The server's answer to the last sign-out, which a sign-in waits for. */
let leaving: Promise<void> = Promise.resolve()

export function accessToken(): string | null {
  return token && Date.parse(token.expiresAt) > Date.now() ? token.value : null
}

// The last user signed in on this device, so that a screen opened with no network — a grid worker
// in a dead zone — starts as them (their queued work, their tasks as last seen) instead of showing
// a sign-in form it cannot submit. The session is still the server's cookie: the first answer from
// the server decides, and this is forgotten on sign-out and when the server says the session is gone.
const lastUserKey = 'dispatch.lastUser'

function lastUser(): api.User | null {
  try {
    return JSON.parse(window.localStorage.getItem(lastUserKey) ?? 'null') as api.User | null
  } catch {
    return null
  }
}

function signedIn(user: api.User): void {
  window.localStorage.setItem(lastUserKey, JSON.stringify(user))
  state.user = user
  state.lastUsername = user.username
  state.reason = null
  state.status = 'signedIn'
}

function signedOut(reason: SignedOutReason | null): void {
  window.localStorage.removeItem(lastUserKey)
  token = null
  state.user = null
  state.reason = reason
  state.status = 'signedOut'
}

// A 401 from the API or the tiles while signed in: the cookie has expired or was revoked. The 401
// of a wrong password, or of the first check without a cookie, arrives while signed out: no change.
api.onUnauthorized(() => {
  if (state.status === 'signedIn') signedOut({ kind: 'expired' })
})

/** On start: does the browser still hold a session cookie? */
export async function checkSession(): Promise<void> {
  try {
    signedIn(await api.me())
  } catch (error) {
    const noSession = error instanceof api.ApiError && error.status === 401
    const known = noSession ? null : lastUser()
    if (known) {
      // No answer (no network, the server away): carry on as the last user and ask again when the
      // network returns; a 401 from any request then signs out as usual.
      signedIn(known)
      window.addEventListener('online', () => void checkSession(), { once: true })
      return
    }
    signedOut(noSession ? (state.status === 'signedIn' ? { kind: 'expired' } : null) : { kind: 'failed', error })
  }
}

/**
 * Signs in with the password alone, or returns the second step the account needs (a code, or
 * enrolling an authenticator), which ends in `completeSignIn`. Throws the server's refusal (an
 * `ApiError` with its problem details) for the form to show.
 */
export async function signIn(username: string, password: string): Promise<api.SecondFactorChallenge | null> {
  // A sign-out still on its way would otherwise clear the cookie this sign-in is about to set.
  await leaving
  const result = await api.signIn(username, password)
  if ('challenge' in result) return result
  completeSignIn(result)
  return null
}

/** The session a second step opened (the cookie is set already): the app replaces the form. */
export function completeSignIn(result: api.SignInResult): void {
  token = { value: result.token, expiresAt: result.expiresAt }
  signedIn(result.user)
}

/** Asks the server again who is signed in, after a change to the account (its second factor). */
export async function refreshUser(): Promise<void> {
  signedIn(await api.me())
}

/**
 * Leaves the screen at once, before the server has answered: its tile requests would otherwise
 * meet the cleared cookie, and their 401s would read as an expired session.
 */
export function signOut(): Promise<void> {
  state.lastUsername = ''
  signedOut(null)
  leaving = api.signOut().catch(() => {
    // Already signed out (401) or the server is away: the sign-in form is the right screen either way.
  })
  return leaving
}
