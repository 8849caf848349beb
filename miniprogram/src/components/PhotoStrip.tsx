import Taro from '@tarojs/taro'
import { Image, View } from '@tarojs/components'
import type { Photo } from '@linli/shared/schemas'
import { mediaUrl } from '../services/http'

/** Attached photos as thumbnails; a tap opens them full screen. Their links are signed and expire within hours. */
export function PhotoStrip({ id, photos }: { id: string; photos: Photo[] }) {
  const urls = photos.map((p) => mediaUrl(p.url))
  return (
    <View className='photos' id={id}>
      {photos.map((p, i) => (
        <View
          key={p.id}
          className='photo'
          id={`${id}-${p.id}`}
          onClick={() => void Taro.previewImage({ urls, current: urls[i]! })}
        >
          <Image className='photo__img' src={urls[i]!} mode='aspectFill' />
        </View>
      ))}
    </View>
  )
}
