import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { testTempDir } from './tempDirs.js';

const run = promisify(execFile);

/**
 * A PDF page as a reader sees it: drawn to a PNG by poppler's pdftoppm, then read back by tesseract's Vietnamese
 * model. A letter drawn without its marks, or not drawn at all (a font without the glyph), reads differently.
 */
export async function readPdfPage(pdf: Buffer, page = 1): Promise<{ text: string; png: string }> {
  const dir = testTempDir('hub-pdf-page-');
  const file = path.join(dir, 'document.pdf');
  fs.writeFileSync(file, pdf);
  await run('pdftoppm', ['-r', '200', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')]);
  const png = path.join(dir, 'page.png');
  const { stdout } = await run('tesseract', [png, '-', '-l', 'vie'], { maxBuffer: 16 * 1024 * 1024 });
  return { text: stdout.normalize('NFC').replace(/\s+/g, ' '), png };
}
