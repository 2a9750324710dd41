import PDFDocument from 'pdfkit';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** DejaVu (Debian's fonts-dejavu) has every Vietnamese letter; embedded, the PDF reads the same anywhere. */
const vietnameseFont = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** A PDF as an office would send one: a page per entry of `pages`, its text in Vietnamese, the font embedded. */
export async function pdfDocument(pages: string[]): Promise<Buffer> {
  const document = new PDFDocument({ size: 'A4', autoFirstPage: false, info: { Title: pages[0] ?? '' } });
  const chunks: Buffer[] = [];
  document.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    document.on('end', resolve);
    document.on('error', reject);
  });
  for (const text of pages) document.addPage().font(vietnameseFont).fontSize(22).text(text, 60, 80);
  document.end();
  await ended;
  return Buffer.concat(chunks);
}

/** The text PDF.js reads on each page of a document, in order, its white space as one space. */
export async function pdfPagesText(content: Buffer): Promise<string[]> {
  const loading = getDocument({ data: new Uint8Array(content), verbosity: VerbosityLevel.ERRORS });
  try {
    const pdf = await loading.promise;
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const text = await (await pdf.getPage(number)).getTextContent();
      // a line's end is a space, as a reader reads a wrapped paragraph
      const read = text.items.map((item) => ('str' in item ? `${item.str}${item.hasEOL ? ' ' : ''}` : '')).join('');
      pages.push(read.replace(/\s+/g, ' ').trim());
    }
    return pages;
  } finally {
    await loading.destroy();
  }
}
