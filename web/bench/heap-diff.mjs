// What a wall's JS heap gains over a stretch of time: two heap snapshots (after forced garbage
// collection) of a freshly signed-in wall, N minutes apart, compared by node type and name.
//   DISPATCH_URL=http://127.0.0.1:5282 WARMUP_MINUTES=5 GAP_MINUTES=10 node bench/heap-diff.mjs
import { openWall, sleep } from './common.mjs'

const warmup = Number(process.env.WARMUP_MINUTES ?? 5)
const gap = Number(process.env.GAP_MINUTES ?? 10)

const { browser, page } = await openWall()
const cdp = await page.context().newCDPSession(page)

async function snapshot() {
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  let text = ''
  const onChunk = ({ chunk }) => (text += chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false })
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
  await cdp.send('HeapProfiler.disable')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return { groups: summarise(JSON.parse(text)), usedSize }
}

/** Self size and count per "type:name" (names of strings and code folded to their type). */
function summarise(snap) {
  const meta = snap.snapshot.meta
  const fields = meta.node_fields.length
  const types = meta.node_types[0]
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => meta.node_fields.indexOf(f))
  const groups = new Map()
  for (let i = 0; i < snap.nodes.length; i += fields) {
    const type = types[snap.nodes[i + typeAt]]
    const raw = snap.strings[snap.nodes[i + nameAt]]
    const name = type === 'string' || type === 'concatenated string' || type === 'sliced string' || type === 'number' ? '' : raw.slice(0, 60)
    const key = `${type}:${name}`
    const group = groups.get(key) ?? { count: 0, size: 0 }
    group.count++
    group.size += snap.nodes[i + sizeAt]
    groups.set(key, group)
  }
  return groups
}

await sleep(warmup * 60_000)
const before = await snapshot()
console.error(`first snapshot: ${(before.usedSize / 1048576).toFixed(2)} MB used`)
await sleep(gap * 60_000)
const after = await snapshot()
console.error(`second snapshot: ${(after.usedSize / 1048576).toFixed(2)} MB used`)

const rows = [...after.groups].map(([key, a]) => {
  const b = before.groups.get(key) ?? { count: 0, size: 0 }
  return { key, dCount: a.count - b.count, dKB: +((a.size - b.size) / 1024).toFixed(1), kb: +(a.size / 1024).toFixed(1) }
})
rows.sort((x, y) => y.dKB - x.dKB)
console.log(`heap used: ${(before.usedSize / 1048576).toFixed(2)} → ${(after.usedSize / 1048576).toFixed(2)} MB`)
console.table(rows.slice(0, 40))
await browser.close()
