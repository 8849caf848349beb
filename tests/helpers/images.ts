import { encodePng } from '@linli/bff/lib/png'
import type { BrowserContext } from 'playwright-core'

/** A real 24×24 PNG (RGB gradient), made in the test: the BFF checks image types by their bytes. */
export function png(): Buffer {
  return encodePng(24, 24, (x, y) => [x * 10, y * 10, 200])
}

/**
 * A real, large camera-like JPEG (4000×3000: gradients, shapes and sensor-like noise, quality 0.96 — about 6–8 MB,
 * over the 5 MB photo limit), encoded by Chromium's own JPEG encoder in a blank page of `context`.
 */
export async function largeJpeg(context: BrowserContext, size = { width: 4000, height: 3000 }): Promise<Buffer> {
  const page = await context.newPage()
  try {
    const base64 = await page.evaluate(async ({ width, height }) => {
      const canvas = document.createElement('canvas')
      canvas.width = width
      canvas.height = height
      const ctx = canvas.getContext('2d')!
      const sky = ctx.createLinearGradient(0, 0, width, height)
      sky.addColorStop(0, '#88aaaa')
      sky.addColorStop(0.5, '#ddccbb')
      sky.addColorStop(1, '#445566')
      ctx.fillStyle = sky
      ctx.fillRect(0, 0, width, height)
      let seed = 7
      const rnd = () => {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        return seed / 0x7fffffff
      }
      for (let i = 0; i < 60; i++) {
        ctx.fillStyle = `hsl(${rnd() * 360},50%,${30 + rnd() * 40}%)`
        ctx.beginPath()
        ctx.arc(rnd() * width, rnd() * height, 50 + rnd() * 400, 0, 7)
        ctx.fill()
      }
      const pixels = ctx.getImageData(0, 0, width, height)
      const d = pixels.data
      for (let i = 0; i < d.length; i += 4) {
        const n = (rnd() - 0.5) * 48
        for (let c = i; c < i + 3; c++) d[c] = d[c]! + n
      }
      ctx.putImageData(pixels, 0, 0)
      const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.96))
      const bytes = new Uint8Array(await blob.arrayBuffer())
      let binary = ''
      for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
      return btoa(binary)
    }, size)
    return Buffer.from(base64, 'base64')
  } finally {
    await page.close()
  }
}
