// B8: a report → visible on the wall display, end to end, in a real browser (Debian's Chromium).
// Each report is POSTed as a dispatcher would (API round trip included); "visible" is the moment
// its row is in the wall's ticker DOM (a MutationObserver in the page stamps it). Same machine,
// same clock: latency = page stamp − time before the POST.
//   DISPATCH_URL=http://127.0.0.1:5080 B8_REPORTS=300 B8_RATE=2 node bench/b8.mjs
import { openWall, quantile, sleep, token, url } from './common.mjs'

const reports = Number(process.env.B8_REPORTS ?? 300)
const rate = Number(process.env.B8_RATE ?? 2)

const { browser, page } = await openWall()
await page.evaluate(() => {
  window.__seen = {}
  new MutationObserver((mutations) => {
    const now = Date.now()
    for (const m of mutations)
      for (const node of m.addedNodes)
        if (node instanceof HTMLElement && node.dataset.id && !(node.dataset.id in window.__seen)) window.__seen[node.dataset.id] = now
  }).observe(document.querySelector('[data-testid=ticker]'), { childList: true })
})

const bearer = await token('city.dispatcher')
const points = (await (await fetch(`${url}/api/service-points`, { headers: { Authorization: `Bearer ${bearer}` } })).json()).features
const sent = new Map()
const answered = new Map() // the POST's own round trip (B3's intake), part of the end-to-end time
const started = Date.now()
for (let i = 0; i < reports; i++) {
  const point = points[(i * 7919) % points.length]
  const [lon, lat] = point.geometry.coordinates
  const t = Date.now()
  const response = await fetch(`${url}/api/incidents`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ categoryCode: 'safety', description: `B8 测量 ${i}：井盖缺失`, lon, lat, source: 'hotline' }),
  })
  if (response.status === 201) {
    const id = String((await response.json()).id)
    sent.set(id, t)
    answered.set(id, Date.now() - t)
  }
  const next = started + ((i + 1) * 1000) / rate
  await sleep(Math.max(0, next - Date.now()))
}
await sleep(3000)
const seen = await page.evaluate(() => window.__seen)
const latencies = [...sent].filter(([id]) => id in seen).map(([id, t]) => seen[id] - t).sort((a, b) => a - b)
const intake = [...answered.values()].sort((a, b) => a - b)
const result = {
  intakeP50: quantile(intake, 0.5),
  intakeP99: quantile(intake, 0.99),
  reports: sent.size,
  seen: latencies.length,
  missed: sent.size - latencies.length,
  p50: quantile(latencies, 0.5),
  p90: quantile(latencies, 0.9),
  p99: quantile(latencies, 0.99),
  max: latencies.at(-1),
  rate,
}
console.log(JSON.stringify(result))
await browser.close()
