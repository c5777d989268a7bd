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
// One sample swings by about ±1 MB (MapLibre's and ECharts' buffers come and go even after a
// forced collection), so growth is also given as the median of five samples against the median
// of the five after the warm-up, at every half hour of the run.
const after = samples.filter((s) => s.minute >= warmup)
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const pct = (from, to) => +((100 * (to - from)) / from).toFixed(1)
const base = after[0]
const last = after.at(-1)
const baseMedian = median(after.slice(0, 5).map((s) => s.heapMB))
const checkpoints = after
  .filter((s) => s.minute > warmup && (s.minute - warmup) % 30 === 0)
  .map((s) => {
    const window = after.filter((t) => t.minute > s.minute - 5 && t.minute <= s.minute).map((t) => t.heapMB)
    return { minutesAfterWarmup: s.minute - warmup, heapMB: s.heapMB, growthPct: pct(base.heapMB, s.heapMB), medianGrowthPct: pct(baseMedian, median(window)) }
  })
const peak = Math.max(...after.map((s) => s.heapMB))
console.log(JSON.stringify({
  warmupMinutes: warmup,
  minutes,
  baseMB: base.heapMB,
  endMB: last.heapMB,
  peakMB: peak,
  growthPct: pct(base.heapMB, last.heapMB),
  peakGrowthPct: pct(base.heapMB, peak),
  checkpoints,
  events: (last.seq ?? 0) - (base.seq ?? 0),
}))
await browser.close()
