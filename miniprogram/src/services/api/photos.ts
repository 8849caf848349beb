import type { Photo } from '@linli/shared/schemas'
import { http } from '../http'

/**
 * Photos (shared/src/schemas/photos.ts): one file per upload, multipart as wx.uploadFile sends it; `onProgress`
 * gets 0–100. The returned id is attached to what is filed next (a service request, a proxy's authorisation).
 */
export function uploadPhoto(cid: number, filePath: string, onProgress?: (percent: number) => void): Promise<Photo> {
  return http.upload<Photo>(`/communities/${cid}/photos`, { filePath, name: 'file', onProgress })
}
