// 四级综治中心 (server: Supervision/Centres.cs): a centre is named by its region's code, so its
// superiors are its code's prefixes, and the city's centre (410600) stands above every other.
// Only the responsible centre acts on a case; a superior may pull it up (提级); the rest watch.

export const cityCode = '410600'

/** Whether `superior` stands strictly above `centre`. */
export function above(superior: string, centre: string): boolean {
  return superior !== centre && (superior === cityCode || centre.startsWith(superior))
}

/**
 * Where a signed-in centre stands to a case: `responsible` for it, `above` its centre (may pull it
 * up), `below` it (the case went up), or `apart` (another branch of the tree).
 */
export type Standing = 'responsible' | 'above' | 'below' | 'apart'

export function standing(userRegion: string | undefined, centreCode: string): Standing {
  // A row cached before cases had centres has none: nobody's to act on.
  if (!userRegion || !centreCode) return 'apart'
  if (userRegion === centreCode) return 'responsible'
  if (above(userRegion, centreCode)) return 'above'
  return above(centreCode, userRegion) ? 'below' : 'apart'
}
