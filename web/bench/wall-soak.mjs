// The wall left running: a headless Chromium wall against a server whose simulated city runs at
// 10× speed (Simulation__Speed=10), sampling the JS heap once a minute after a forced garbage
// collection (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage), with DOM nodes and
// listeners. Growth is measured from the end of the warm-up to the end of the run.
//   DISPATCH_URL=http://127.0.0.1:5282 SOAK_MINUTES=30 WARMUP_MINUTES=5 node bench/wall-soak.mjs
import { writeFileSync } from 'node:fs'
import { openWall, sleep } from './common.mjs'

const minutes = Number(process.env.SOAK_MINUTES ?? 30)
const warmup = Number(process.env.WARMUP_MINUTES ?? 5)
const out = process.env.SOAK_OUT ?? '/tmp/wall-soak.json'

const { browser, page } = await openWall()
const cdp = await page.context().newCDPSession(page)
await cdp.send('Performance.enable')
const samples = []
const start = Date.now()
for (let minute = 0; minute <= warmup + minutes; minute++) {
  await sleep(Math.max(0, start + minute * 60_000 - Date.now()))
  await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  const { metrics } = await cdp.send('Performance.getMetrics')
  const metric = (name) => metrics.find((m) => m.name === name)?.value
  const live = await page.evaluate(() => ({ seq: window.__live?.lastSeq, state: window.__live?.state, reloads: window.__live?.reloads }))
  const sample = { minute, heapMB: +(usedSize / 1048576).toFixed(2), nodes: metric('Nodes'), listeners: metric('JSEventListeners'), ...live }
  samples.push(sample)
  console.log(JSON.stringify(sample))
  writeFileSync(out, JSON.stringify(samples, null, 1))
}
const base = samples.find((s) => s.minute === warmup)
const last = samples.at(-1)
const after = samples.filter((s) => s.minute >= warmup)
const peak = Math.max(...after.map((s) => s.heapMB))
console.log(JSON.stringify({
  warmupMinutes: warmup,
  minutes,
  baseMB: base.heapMB,
  endMB: last.heapMB,
  peakMB: peak,
  growthPct: +((100 * (last.heapMB - base.heapMB)) / base.heapMB).toFixed(1),
  peakGrowthPct: +((100 * (peak - base.heapMB)) / base.heapMB).toFixed(1),
  events: (last.seq ?? 0) - (base.seq ?? 0),
}))
await browser.close()
