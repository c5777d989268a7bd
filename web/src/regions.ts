// Region and grid names by code, for every screen. Names never change while the page is open,
// and many grids share a village or township: each is asked for once.
import { shallowReactive } from 'vue'
import { getRegion } from './api'

const names = new Map<string, Promise<string>>()

export function regionName(code: string): Promise<string> {
  let name = names.get(code)
  if (!name) {
    name = getRegion(code).then((region) => region.name)
    // A failed lookup is not remembered: the next asks again.
    name.catch(() => names.delete(code))
    names.set(code, name)
  }
  return name
}

/** The names known so far, for templates: ask with `lookUp`, read here once they arrive. */
export const knownNames: ReadonlyMap<string, string> = shallowReactive(new Map<string, string>())

export function lookUp(codes: Iterable<string>): void {
  for (const code of new Set(codes))
    if (!knownNames.has(code))
      regionName(code).then(
        (name) => (knownNames as Map<string, string>).set(code, name),
        () => {}, // shown as its code until a later lookUp succeeds
      )
}
