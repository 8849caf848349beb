import { Image, Text, View } from '@tarojs/components'
import type { LocalPhoto, PhotoUploads } from '../hooks/usePhotoUploads'
import { PHOTO_LIMIT_TEXT } from '../utils/photoFile'
import { Notice } from './Notice'

function stateText(p: LocalPhoto): string {
  if (p.state === 'done') return '已上传'
  if (p.state === 'failed') return p.permanent ? '无法上传' : '失败，点此重试'
  return p.compressing ? '压缩中…' : `上传中 ${p.progress}%`
}

/**
 * The picked photos with their progress (压缩中 → 上传中 → 已上传), remove, and retry where trying again can help;
 * a tile to add more; the limit in words; and for each failed photo what went wrong (`${item}-0`, `${item}-add`,
 * `${item}-0-error`…).
 */
export function PhotoPicker({ id, item, uploads }: { id: string; item: string; uploads: PhotoUploads }) {
  const failed = uploads.photos.map((p, i) => ({ p, i })).filter(({ p }) => p.state === 'failed' && p.error)
  const numbered = uploads.photos.length > 1
  return (
    <View>
      <View className='photos' id={id}>
        {uploads.photos.map((p, i) => (
          <View
            key={p.key}
            className='photo'
            id={`${item}-${i}`}
            data-state={p.state}
            data-photo-id={p.photoId ?? ''}
            data-permanent={p.permanent ? 'true' : 'false'}
            data-bytes={p.bytes ?? ''}
          >
            {p.notImage ? (
              <View className='photo photo--add' id={`${item}-${i}-not-image`}>
                不是照片
              </View>
            ) : (
              <Image className='photo__img' src={p.path} mode='aspectFill' />
            )}
            <Text
              className='photo__state'
              id={`${item}-${i}-progress`}
              onClick={p.state === 'failed' && !p.permanent ? () => uploads.retry(p) : undefined}
            >
              {stateText(p)}
            </Text>
            <Text className='photo__remove' id={`${item}-${i}-remove`} onClick={() => uploads.remove(p.key)}>
              ×
            </Text>
          </View>
        ))}
        {uploads.photos.length < uploads.max ? (
          <View className='photo photo--add' id={`${item}-add`} onClick={() => void uploads.add()}>
            + 拍照/相册
          </View>
        ) : null}
      </View>
      <Text className='hint' id={`${item}-limit`}>
        {PHOTO_LIMIT_TEXT}
      </Text>
      {failed.map(({ p, i }) => (
        <View className='mt' key={p.key}>
          <Notice kind='error' id={`${item}-${i}-error`}>
            {numbered ? `第 ${i + 1} 张：` : ''}
            {p.error}
          </Notice>
        </View>
      ))}
    </View>
  )
}
