import Taro from '@tarojs/taro'
import { useRef, useState } from 'react'
import { uploadPhoto, type PhotoPurpose } from '../services/api/photos'
import { PhotoRefused, pickPhotosH5, preparePhoto, uploadFailure, type PickedPhoto } from '../utils/photoFile'

export interface LocalPhoto {
  key: number
  path: string
  state: 'uploading' | 'done' | 'failed'
  progress: number
  photoId?: number
  error?: string
  /** being made smaller on the phone before it is sent (state 'uploading', progress 0) */
  compressing?: boolean
  /** failed for good (too large, not a photo): no retry is offered, only removing it */
  permanent?: boolean
  /** what was picked is not a photo: there is no picture to show */
  notImage?: boolean
  /** the bytes sent (after compression) */
  bytes?: number
}

export interface PhotoUploads {
  photos: LocalPhoto[]
  /** ids of the photos uploaded so far, in the order shown (what is sent with the form) */
  photoIds: number[]
  uploading: number
  max: number
  add: () => Promise<void>
  remove: (key: number) => void
  /** tries a failed upload again (nothing for a permanent failure: it would fail the same way) */
  retry: (p: LocalPhoto) => void
}

/** a blob: URL made for a picked or compressed photo (H5) holds the whole file in memory until released */
const release = (path: string) => {
  if (path.startsWith('blob:')) URL.revokeObjectURL(path)
}

/**
 * Photos picked from the camera or album, made ready on the phone (large ones compressed, non-photos and
 * oversize ones refused with a reason: utils/photoFile.ts) and uploaded one by one (a queue, each with its own
 * progress), to be attached by id to what the form files. `onChange` runs whenever the set of photos changes.
 */
export function usePhotoUploads(
  cid: number | null,
  max: number,
  onChange?: () => void,
  purpose?: PhotoPurpose,
): PhotoUploads {
  const [photos, setPhotos] = useState<LocalPhoto[]>([])
  const seq = useRef(0)
  const queue = useRef<Promise<void>>(Promise.resolve())
  /** picked but not yet made ready (key → what the picker gave) */
  const picked = useRef(new Map<number, PickedPhoto>())
  /** made ready (key → the path to upload) */
  const ready = useRef(new Map<number, string>())
  const removed = useRef(new Set<number>())

  const update = (key: number, patch: Partial<LocalPhoto>) =>
    setPhotos((list) => list.map((p) => (p.key === key ? { ...p, ...patch } : p)))

  const enqueue = (key: number) => {
    if (cid === null) return
    queue.current = queue.current.then(async () => {
      if (removed.current.has(key)) return
      try {
        let path = ready.current.get(key)
        if (path === undefined) {
          const original = picked.current.get(key)!
          update(key, { compressing: true })
          const made = await preparePhoto(original)
          path = made.path
          ready.current.set(key, path)
          picked.current.delete(key)
          if (made.compressed) release(original.path)
          update(key, { path, bytes: made.size, compressing: false })
          if (removed.current.has(key)) return release(path)
        }
        const res = await uploadPhoto(cid, path, (progress) => update(key, { progress }), purpose)
        update(key, { state: 'done', progress: 100, photoId: res.id })
      } catch (e) {
        const failure = uploadFailure(e)
        update(key, {
          state: 'failed',
          compressing: false,
          error: failure.message,
          permanent: failure.permanent,
          notImage: e instanceof PhotoRefused && e.reason === 'not_image',
        })
      }
    })
  }

  return {
    photos,
    photoIds: photos.filter((p) => p.state === 'done').map((p) => p.photoId!),
    uploading: photos.filter((p) => p.state === 'uploading').length,
    max,
    async add() {
      const room = max - photos.length
      if (room <= 0) return
      let files: PickedPhoto[] = []
      try {
        if (process.env.TARO_ENV === 'weapp') {
          const res = await Taro.chooseMedia({
            count: room,
            mediaType: ['image'],
            sourceType: ['album', 'camera'],
            sizeType: ['compressed'],
          })
          files = res.tempFiles.map((f) => ({ path: f.tempFilePath, size: f.size }))
        } else {
          // H5: a file input (blob: URLs); album only, so no action sheet in front of it
          files = await pickPhotosH5(room)
        }
      } catch {
        return // cancelled
      }
      const added = files.slice(0, room).map((f) => {
        const key = ++seq.current
        picked.current.set(key, f)
        return { key, path: f.path, state: 'uploading' as const, progress: 0 }
      })
      if (added.length === 0) return
      onChange?.()
      setPhotos((list) => [...list, ...added])
      for (const p of added) enqueue(p.key)
    },
    remove(key) {
      onChange?.()
      removed.current.add(key)
      const p = photos.find((x) => x.key === key)
      // a photo still in the queue is dropped there; one being sent finishes and is never attached
      if (p && p.state !== 'uploading') release(p.path)
      setPhotos((list) => list.filter((x) => x.key !== key))
    },
    retry(p) {
      if (p.state !== 'failed' || p.permanent) return
      update(p.key, { state: 'uploading', progress: 0, error: undefined })
      enqueue(p.key)
    },
  }
}
