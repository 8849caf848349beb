import { Image, Text, View } from '@tarojs/components'
import type { PhotoUploads } from '../hooks/usePhotoUploads'

/** The picked photos with their upload progress, remove and retry, and a tile to add more (`${item}-0`, `${item}-add`…). */
export function PhotoPicker({ id, item, uploads }: { id: string; item: string; uploads: PhotoUploads }) {
  const failed = uploads.photos.find((p) => p.state === 'failed')
  return (
    <View>
      <View className='photos' id={id}>
        {uploads.photos.map((p, i) => (
          <View key={p.key} className='photo' id={`${item}-${i}`} data-state={p.state} data-photo-id={p.photoId ?? ''}>
            <Image className='photo__img' src={p.path} mode='aspectFill' />
            <Text className='photo__state' id={`${item}-${i}-progress`} onClick={p.state === 'failed' ? () => uploads.retry(p) : undefined}>
              {p.state === 'uploading' ? `上传中 ${p.progress}%` : p.state === 'done' ? '已上传' : '失败，点此重试'}
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
      {failed?.error ? <Text className='ferror'>{failed.error}</Text> : null}
    </View>
  )
}
