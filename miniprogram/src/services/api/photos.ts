import type { Photo } from '@linli/shared/schemas'
import { http } from '../http'

/** 'membership': proof for one's own household application (allowed before one is a resident) */
export type PhotoPurpose = 'membership'

/**
 * Photos (shared/src/schemas/photos.ts): one file per upload, multipart as wx.uploadFile sends it; `onProgress`
 * gets 0–100. The returned id is attached to what is filed next (a service request, a proxy's authorisation,
 * a household application's proof).
 */
export function uploadPhoto(
  cid: number,
  filePath: string,
  onProgress?: (percent: number) => void,
  purpose?: PhotoPurpose,
): Promise<Photo> {
  const query = purpose ? `?purpose=${purpose}` : ''
  return http.upload<Photo>(`/communities/${cid}/photos${query}`, { filePath, name: 'file', onProgress })
}
