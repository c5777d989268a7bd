// The field app's service worker, made at build time with the list of files the app shell needs
// to start with no network: the page, the entry's and the field screen's scripts and styles (with
// what they import statically) and the fonts those styles name. The list is written into the
// worker itself, so each build's worker differs from the last: the phone installs it on its next
// online start, and its install fetches the whole list — the files load offline even if the page
// never asked for them through the worker (the first visit, before the worker was there).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Plugin, Rolldown } from 'vite'

type OutputBundle = Rolldown.OutputBundle
type OutputChunk = Rolldown.OutputChunk

const template = fileURLToPath(new URL('./src/screens/field/field-sw.js', import.meta.url))
/** The public files the shell shows (the manifest and its icon, the tab icon). */
const publicFiles = ['/field.webmanifest', '/field-icon.svg', '/favicon.svg']

/** The worker's source with its build and file list filled in. */
function worker(build: string, files: string[]): string {
  return readFileSync(template, 'utf8')
    .replace(/const BUILD = [^\n]*/, `const BUILD = ${JSON.stringify(build)}`)
    .replace(/const SHELL = [^\n]*/, `const SHELL = ${JSON.stringify(files)}`)
}

/** The chunks, styles and fonts the entry and the field screen need, as paths. */
export function shellFiles(bundle: OutputBundle): { build: string; files: string[] } {
  const chunks = Object.values(bundle).filter((file): file is OutputChunk => file.type === 'chunk')
  const entry = chunks.find((chunk) => chunk.isEntry)
  const field = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/screens/field/FieldScreen.vue'))
  if (!entry || !field) throw new Error('field shell: no entry or no FieldScreen chunk in the bundle')
  const files = new Set<string>()
  const visit = (chunk: OutputChunk) => {
    if (files.has(chunk.fileName)) return
    files.add(chunk.fileName)
    for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(css)
    for (const name of chunk.imports) {
      const next = bundle[name]
      if (next?.type === 'chunk') visit(next)
    }
  }
  visit(entry)
  visit(field)
  for (const name of [...files].filter((file) => file.endsWith('.css'))) {
    const css = bundle[name]
    const source = css?.type === 'asset' ? String(css.source) : ''
    // woff2 only: every browser that runs the app reads it, the woff beside it is never fetched.
    for (const [, font] of source.matchAll(/url\(\/?(assets\/[^)]+\.woff2)\)/g)) files.add(font!)
  }
  const build = /^assets\/index-([\w-]+)\.js$/.exec(entry.fileName)?.[1] ?? entry.fileName
  return { build, files: ['/field', ...[...files].map((file) => `/${file}`), ...publicFiles] }
}

export function fieldShell(): Plugin {
  return {
    name: 'dispatch-field-shell',
    // `npm run dev`: a worker with nothing to precache (Vite serves modules, not a bundle).
    configureServer(server) {
      server.middlewares.use('/field-sw.js', (_req, res) => {
        res.setHeader('Content-Type', 'text/javascript')
        res.end(worker('dev', []))
      })
    },
    generateBundle(_options, bundle) {
      const { build, files } = shellFiles(bundle)
      this.emitFile({ type: 'asset', fileName: 'field-sw.js', source: worker(build, files) })
    },
  }
}
