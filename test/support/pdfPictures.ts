import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A PDF page as a reader sees it: drawn to a PNG by poppler's pdftoppm, then read back by tesseract's Vietnamese
 * model. A letter drawn without its marks, or not drawn at all (a font without the glyph), reads differently. The
 * files are removed once read (the end-to-end specs have no per-file clean-up).
 */
export async function readPdfPage(pdf: Buffer, page = 1): Promise<{ text: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-pdf-page-'));
  try {
    const file = path.join(dir, 'document.pdf');
    fs.writeFileSync(file, pdf);
    await run('pdftoppm', ['-r', '200', '-png', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')]);
    const { stdout } = await run('tesseract', [path.join(dir, 'page.png'), '-', '-l', 'vie'], { maxBuffer: 16 * 1024 * 1024 });
    return { text: stdout.normalize('NFC').replace(/\s+/g, ' ') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
