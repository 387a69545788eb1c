// Draws the tray icons (one per state) as small PNGs into electron/assets/. Run once; the PNGs are
// committed. macOS gets black-and-alpha `…Template.png` files (plus @2x) so the menu bar tints them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'electron', 'assets');
mkdirSync(out, { recursive: true });

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel((x + 0.5) / size, (y + 0.5) / size);
      raw.set([r, g, b, a], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// A ship's wheel reduced to what reads at 16 px: a ring, plus a mark per state.
const shapes = {
  'signed-in': (d) => d < 0.42, // filled disc
  'signed-out': (d) => d < 0.42 && d > 0.28, // ring
  attention: (d, x, y) => (d < 0.42 && d > 0.3) || (Math.abs(x - 0.5) < 0.07 && y > 0.25 && y < 0.75 && !(y > 0.58 && y < 0.66)),
  idle: (d) => d < 0.18, // small dot
};
const colours = { 'signed-in': [22, 128, 60], 'signed-out': [90, 90, 90], attention: [200, 110, 0], idle: [120, 120, 120] };

for (const [state, inside] of Object.entries(shapes)) {
  const draw = (rgb) => (x, y) => (inside(Math.hypot(x - 0.5, y - 0.5), x, y) ? [...rgb, 255] : [0, 0, 0, 0]);
  writeFileSync(join(out, `tray-${state}.png`), png(32, draw(colours[state])));
  writeFileSync(join(out, `tray-${state}Template.png`), png(16, draw([0, 0, 0])));
  writeFileSync(join(out, `tray-${state}Template@2x.png`), png(32, draw([0, 0, 0])));
}
console.log(`tray icons written to ${out}`);
