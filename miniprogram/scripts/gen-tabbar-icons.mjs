// Draws the four tab bar icons as tiny PNGs (48×48, two colours) with no image library.
// Run: node scripts/gen-tabbar-icons.mjs  → src/assets/tabbar/<name>[-active].png
import { deflateSync } from 'node:zlib'
import { writeFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const SIZE = 48
const SS = 4 // supersampling per axis
const GRAY = [0x8a, 0x8f, 0x99]
const ACCENT = [0x1a, 0x5f, 0xb4]

const inRect = (x, y, x0, y0, x1, y1) => x >= x0 && x <= x1 && y >= y0 && y <= y1
const inCircle = (x, y, cx, cy, r) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r
const inRoundRect = (x, y, x0, y0, x1, y1, r) => {
  if (!inRect(x, y, x0, y0, x1, y1)) return false
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return inCircle(x, y, cx, cy, r)
}
const inTriangle = (x, y, [ax, ay], [bx, by], [cx, cy]) => {
  const s = (px, py, qx, qy, rx, ry) => (px - rx) * (qy - ry) - (qx - rx) * (py - ry)
  const d1 = s(x, y, ax, ay, bx, by),
    d2 = s(x, y, bx, by, cx, cy),
    d3 = s(x, y, cx, cy, ax, ay)
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}

const shapes = {
  home: (x, y) =>
    (inTriangle(x, y, [24, 5], [3, 23], [45, 23]) || inRect(x, y, 9, 21, 39, 42)) && !inRect(x, y, 20, 29, 28, 42),
  deliberation: (x, y) =>
    (inRoundRect(x, y, 4, 7, 44, 35, 7) || inTriangle(x, y, [12, 33], [12, 44], [23, 33])) &&
    !inCircle(x, y, 14, 21, 3) &&
    !inCircle(x, y, 24, 21, 3) &&
    !inCircle(x, y, 34, 21, 3),
  services: (x, y) =>
    inRoundRect(x, y, 5, 5, 21, 21, 4) ||
    inRoundRect(x, y, 27, 5, 43, 21, 4) ||
    inRoundRect(x, y, 5, 27, 21, 43, 4) ||
    inRoundRect(x, y, 27, 27, 43, 43, 4),
  me: (x, y) => inCircle(x, y, 24, 15, 9) || (inCircle(x, y, 24, 46, 19) && y <= 43),
}

function crc32(buf) {
  let c,
    crc = 0xffffffff
  for (const b of buf) {
    c = (crc ^ b) & 0xff
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    crc = (crc >>> 8) ^ c
  }
  return (crc ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const len = Buffer.alloc(4)
  len.writeUInt32BE(data.length)
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(td))
  return Buffer.concat([len, td, crc])
}
function png(shape, [r, g, b]) {
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE)
  for (let y = 0; y < SIZE; y++) {
    raw[y * (SIZE * 4 + 1)] = 0
    for (let x = 0; x < SIZE; x++) {
      let hit = 0
      for (let sy = 0; sy < SS; sy++)
        for (let sx = 0; sx < SS; sx++) {
          if (shape(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) hit++
        }
      const o = y * (SIZE * 4 + 1) + 1 + x * 4
      raw[o] = r
      raw[o + 1] = g
      raw[o + 2] = b
      raw[o + 3] = Math.round((hit / (SS * SS)) * 255)
    }
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(SIZE, 0)
  ihdr.writeUInt32BE(SIZE, 4)
  ihdr[8] = 8
  ihdr[9] = 6
  ihdr[10] = 0
  ihdr[11] = 0
  ihdr[12] = 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const outDir = fileURLToPath(new URL('../src/assets/tabbar/', import.meta.url))
mkdirSync(outDir, { recursive: true })
for (const [name, shape] of Object.entries(shapes)) {
  writeFileSync(`${outDir}${name}.png`, png(shape, GRAY))
  writeFileSync(`${outDir}${name}-active.png`, png(shape, ACCENT))
}
console.log('tab bar icons written to', outDir)
