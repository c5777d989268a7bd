// The conference view against a fixed conference: where each case came from, who may decide, and
// the decision the dialog sends (a hand-down's deadline in Beijing time). The browser test against
// the real server is e2e/conference.spec.ts.
import { createApp, h, nextTick, type App } from 'vue'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Conference, DecisionBody } from '../../api'
import { i18n } from '../../i18n'
import ConferenceDetail from './ConferenceDetail.vue'

const village = '410611004005'
const conference: Conference = {
  id: 7, centreCode: '410611004', centreName: '大河涧乡', level: 'township', kind: '综治联席会', title: '大河涧乡综治联席会（2026-12-07）',
  scheduledAt: '2026-12-07T21:00:00+08:00', attendees: ['乡综治中心主任', '司法所所长'], minutes: null, status: 'planned',
  createdBy: 'dispatcher-410611004', heldAt: null, version: 2,
  items: [
    { incidentId: 41, categoryName: '邻里纠纷', description: '两户邻居因漏水争吵。', status: 'escalated', centreCode: '410611004', escalatedFrom: village,
      escalationReason: '调解两次未果', escalationCause: 'by_hand', decision: null, note: null, decidedBy: null, decidedAt: null, handDown: null },
    { incidentId: 42, categoryName: '邻里纠纷', description: '院墙边界争执。', status: 'resolved', centreCode: '410611004', escalatedFrom: village,
      escalationReason: '受理超时', escalationCause: 'overdue', decision: 'hand_down', note: '组织现场勘界', decidedBy: 'dispatcher-410611004',
      decidedAt: '2026-12-07T21:10:00+08:00',
      handDown: { id: 3, incidentId: 42, fromCentre: '410611004', toCentre: village, toCentreName: '前进村', instructions: '组织现场勘界',
        deadline: '2026-12-10T21:10:00+08:00', status: 'reported', reportedAt: '2026-12-08T10:00:00+08:00', report: '已勘界，双方认可' } },
  ],
}

let app: App | null = null
let root: HTMLElement
const decided: DecisionBody[] = []

async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve))
    await nextTick()
  }
}

function mount(mine: boolean) {
  root = document.createElement('div')
  document.body.append(root)
  app = createApp({
    render: () => h(ConferenceDetail, {
      conference, mine, busy: false,
      decide: async (body: DecisionBody) => (decided.push(body), true),
      recordMinutes: async () => true,
    }),
  })
  app.use(i18n).mount(root)
}

const item = (id: number) => document.querySelector<HTMLElement>(`[data-testid=agenda-item][data-id="${id}"]`)!

beforeEach(() => {
  decided.length = 0
  i18n.global.locale.value = 'zh-CN'
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ code: village, name: '前进村' }), { headers: { 'Content-Type': 'application/json' } }))
})
afterEach(() => {
  app?.unmount()
  app = null
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

describe('the conference view', () => {
  it('says where each case came from and what became of a hand-down', async () => {
    mount(true)
    await settle()
    expect(item(41).querySelector('[data-testid=agenda-origin]')!.textContent).toBe('由前进村综治中心上报：调解两次未果')
    expect(item(42).querySelector('[data-testid=agenda-origin]')!.textContent).toBe('由前进村综治中心超时自动上报')
    expect(item(42).getAttribute('data-decision')).toBe('hand_down')
    const handDown = item(42).querySelector('[data-testid=hand-down]')!
    expect(handDown.getAttribute('data-status')).toBe('reported')
    expect(handDown.textContent).toContain('已报告办结')
    expect(handDown.textContent).toContain('已勘界，双方认可')
    expect([...item(41).querySelectorAll('[data-testid^=decide-]')].map((b) => b.getAttribute('data-testid')))
      .toEqual(['decide-settle', 'decide-hand-down', 'decide-escalate', 'decide-close'])
    expect(item(42).querySelectorAll('[data-testid^=decide-]')).toHaveLength(0)
    expect(document.querySelector('[data-testid=minutes-save]')).not.toBeNull()
  })

  it('offers a superior no decisions and no minutes', async () => {
    mount(false)
    await settle()
    expect(document.querySelectorAll('[data-testid^=decide-]')).toHaveLength(0)
    expect(document.querySelector('[data-testid=minutes-save]')).toBeNull()
    expect(document.querySelector('[data-testid=read-only]')!.textContent).toContain('由大河涧乡综治中心召集')
  })

  it('hands down with the instructions and a deadline three days ahead, in Beijing time', async () => {
    mount(true)
    await settle()
    item(41).querySelector<HTMLElement>('[data-testid=decide-hand-down]')!.click()
    await settle()
    const dialog = document.querySelector<HTMLElement>('[data-testid=decision-dialog]')!
    const save = dialog.querySelector<HTMLElement>('[data-testid=decision-save]')!
    save.click()
    await settle()
    expect(document.querySelector('[data-testid=decision-problem]')!.textContent).toBe('请写明会议的决定意见')
    const note = document.querySelector<HTMLTextAreaElement>('[data-testid=decision-note] textarea, textarea[data-testid=decision-note]')!
    note.value = '交村说事评理会办理'
    note.dispatchEvent(new Event('input'))
    const deadline = document.querySelector<HTMLInputElement>('[data-testid=decision-deadline]')!
    expect(deadline.value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
    save.click()
    await settle()
    expect(decided).toHaveLength(1)
    expect(decided[0]).toMatchObject({ incidentId: 41, decision: 'hand_down', note: '交村说事评理会办理' })
    const due = Date.parse(decided[0]!.deadline!) - Date.now()
    expect(decided[0]!.deadline).toMatch(/\+08:00$/)
    expect(due).toBeGreaterThan(3 * 86400_000 - 120_000)
    expect(due).toBeLessThan(3 * 86400_000 + 60_000)
  })
})
