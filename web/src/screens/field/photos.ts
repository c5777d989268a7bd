// Phone photos are several megabytes; the outbox keeps them on the phone until they are sent, so
// each is shrunk first to at most 1280 px on its longer side, JPEG at 0.75 (~150–300 KB), a Blob.
import type { UploaderFileListItem } from 'vant'
import { dataUrlToBlob } from './outbox'

export async function shrinkPhoto(item: UploaderFileListItem, longest = 1280): Promise<Blob> {
  const source = item.file ?? (item.content ? await (await fetch(item.content)).blob() : null)
  if (!source) throw new Error('no photo')
  const bitmap = await createImageBitmap(source)
  const scale = Math.min(1, longest / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(bitmap.width * scale)
  canvas.height = Math.round(bitmap.height * scale)
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  return dataUrlToBlob(canvas.toDataURL('image/jpeg', 0.75))
}
