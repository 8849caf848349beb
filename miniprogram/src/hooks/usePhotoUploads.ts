import Taro from '@tarojs/taro'
import { useRef, useState } from 'react'
import { uploadPhoto, type PhotoPurpose } from '../services/api/photos'
import { errorText } from '../services/http'

export interface LocalPhoto {
  key: number
  path: string
  state: 'uploading' | 'done' | 'failed'
  progress: number
  photoId?: number
  error?: string
}

export interface PhotoUploads {
  photos: LocalPhoto[]
  /** ids of the photos uploaded so far, in the order shown (what is sent with the form) */
  photoIds: number[]
  uploading: number
  max: number
  add: () => Promise<void>
  remove: (key: number) => void
  retry: (p: LocalPhoto) => void
}

/**
 * Photos picked from the camera or album and uploaded one by one (a queue, each with its own progress), to be
 * attached by id to what the form files. `onChange` runs whenever the set of photos changes.
 */
export function usePhotoUploads(cid: number | null, max: number, onChange?: () => void, purpose?: PhotoPurpose): PhotoUploads {
  const [photos, setPhotos] = useState<LocalPhoto[]>([])
  const seq = useRef(0)
  const queue = useRef<Promise<void>>(Promise.resolve())

  const update = (key: number, patch: Partial<LocalPhoto>) => setPhotos((list) => list.map((p) => (p.key === key ? { ...p, ...patch } : p)))

  const enqueue = (p: LocalPhoto) => {
    if (cid === null) return
    queue.current = queue.current.then(async () => {
      try {
        const res = await uploadPhoto(cid, p.path, (progress) => update(p.key, { progress }), purpose)
        update(p.key, { state: 'done', progress: 100, photoId: res.id })
      } catch (e) {
        update(p.key, { state: 'failed', error: errorText(e) })
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
      let paths: string[] = []
      try {
        if (process.env.TARO_ENV === 'weapp') {
          const res = await Taro.chooseMedia({ count: room, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] })
          paths = res.tempFiles.map((f) => f.tempFilePath)
        } else {
          // H5: a file input (blob: URLs); album only, so no action sheet in front of it
          const res = await Taro.chooseImage({ count: room, sourceType: ['album'], sizeType: ['compressed'] })
          paths = res.tempFilePaths
        }
      } catch {
        return // cancelled
      }
      const added = paths.slice(0, room).map((path) => ({ key: ++seq.current, path, state: 'uploading' as const, progress: 0 }))
      onChange?.()
      setPhotos((list) => [...list, ...added])
      added.forEach(enqueue)
    },
    remove(key) {
      onChange?.()
      setPhotos((list) => list.filter((p) => p.key !== key))
    },
    retry(p) {
      update(p.key, { state: 'uploading', progress: 0, error: undefined })
      enqueue({ ...p, state: 'uploading', progress: 0 })
    },
  }
}
