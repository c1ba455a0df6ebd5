import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS typed with `export default`: under NodeNext the default import is the module
// object, whose `default` is the function (the bundle sets both).
const jsQR = jsQRModule.default;
const run = promisify(execFile);

function decodeRegion(png: PNG, fromY: number): string | null {
  const height = png.height - fromY;
  const pixels = new Uint8ClampedArray(png.data.buffer, png.data.byteOffset + fromY * png.width * 4, png.width * height * 4);
  return jsQR(pixels, png.width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/**
 * Rasterises one page of a PDF with pdftoppm (poppler-utils) and reads the QR code on it with
 * jsQR: first the lower half (where the payment part or the GiroCode sits, away from the
 * letterhead), then the whole page, at 200 dpi and, failing that, 300 dpi.
 */
export async function readQrCode(pdf: Buffer, page = 1): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'mf-qr-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await writeFile(file, pdf);
    for (const dpi of [200, 300]) {
      const prefix = path.join(dir, `page-${dpi}`);
      await run('pdftoppm', ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), file, prefix]);
      const image = (await readdir(dir)).find((name) => name.startsWith(`page-${dpi}`) && name.endsWith('.png'));
      if (!image) throw new Error(`pdftoppm wrote no image for page ${page}`);
      const png = PNG.sync.read(await readFile(path.join(dir, image)));
      const data = decodeRegion(png, Math.floor(png.height / 2)) ?? decodeRegion(png, 0);
      if (data !== null) return data;
    }
    throw new Error(`No readable QR code on page ${page}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
