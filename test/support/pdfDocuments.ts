import PDFDocument from 'pdfkit';

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
