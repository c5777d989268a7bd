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

export interface Place {
  code: string
  name: string
  /** The township (and district) it lies in, for telling villages of one name apart. */
  within: string
}

const places = new Map<string, Promise<Place[]>>()

/**
 * The villages and communities inside a region, by walking the region tree down (city → districts →
 * townships → villages, one request a node, once per page); a village's own grids when the region
 * is a village. For the address search of a new incident.
 */
export function placesWithin(code: string): Promise<Place[]> {
  let list = places.get(code)
  if (!list) {
    list = walk(code, [])
    list.catch(() => places.delete(code))
    places.set(code, list)
  }
  return list
}

async function walk(code: string, path: string[]): Promise<Place[]> {
  const region = await getRegion(code)
  const within = [...path, region.name]
  if (region.level === 'township' || region.level === 'village')
    return [
      ...(region.level === 'village' ? [{ code: region.code, name: region.name, within: path.join(' ') }] : []),
      ...region.children.map((child) => ({ code: child.code, name: child.name, within: within.slice(-2).join(' ') })),
    ]
  const below = await Promise.all(region.children.map((child) => walk(child.code, region.level === 'city' ? [] : within)))
  return below.flat()
}
