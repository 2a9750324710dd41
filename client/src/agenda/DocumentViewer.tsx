import * as pdfjs from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

/** Where the build put PDF.js's data (client/vite.config.ts, `pdfjsData`). */
const pdfjsData = {
  standardFontDataUrl: '/pdfjs/standard_fonts/',
  wasmUrl: '/pdfjs/wasm/',
  iccUrl: '/pdfjs/iccs/',
  cMapUrl: '/pdfjs/cmaps/',
};

/**
 * A meeting document read in the page, with no download and no plug-in (a phone's browser shows no PDF inline):
 * PDF.js draws each page as it scrolls into view, at the width of the screen, with its text laid over it so it
 * can be selected, searched and read aloud.
 */
export default function DocumentViewer({ url, title, onClose }: { url: string; title: string; onClose: () => void }) {
  const { t } = useTranslation();
  const pagesRef = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<{ state: 'loading' | 'shown' | 'failed'; pages?: number }>({ state: 'loading' });

  useEffect(() => {
    const container = pagesRef.current;
    if (!container) return;
    const loading = pdfjs.getDocument({ url, ...pdfjsData });
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) if (entry.isIntersecting) (entry.target as PageSlot).draw?.();
      },
      { rootMargin: '200px 0px' },
    );
    loading.promise
      .then(async (pdf) => {
        const width = Math.min(container.clientWidth, 1000);
        for (let number = 1; number <= pdf.numPages; number++) {
          const page = await pdf.getPage(number);
          const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
          const slot = document.createElement('div') as PageSlot;
          slot.className = 'document-page';
          slot.dataset.page = String(number);
          slot.style.setProperty('--scale-factor', String(viewport.scale));
          slot.style.width = `${viewport.width}px`;
          slot.style.height = `${viewport.height}px`;
          slot.draw = () => {
            slot.draw = undefined;
            observer.unobserve(slot);
            drawPage(page, viewport, slot).catch(() => slot.classList.add('failed'));
          };
          container.append(slot);
          observer.observe(slot);
        }
        setStatus({ state: 'shown', pages: pdf.numPages });
      })
      .catch(() => setStatus({ state: 'failed' }));
    return () => {
      observer.disconnect();
      container.replaceChildren();
      loading.destroy().catch(() => undefined);
    };
  }, [url]);

  return createPortal(
    <div
      className="document-viewer"
      role="dialog"
      aria-modal="true"
      aria-label={title}
      data-testid="document-viewer"
      data-state={status.state}
    >
      <header>
        <strong>{title}</strong>
        {status.pages !== undefined && <span>{t('agenda.pages', { count: status.pages })}</span>}
        <a href={url} download data-testid="document-download">
          {t('agenda.download')}
        </a>
        <button type="button" data-testid="document-close" onClick={onClose}>
          {t('agenda.closeDocument')}
        </button>
      </header>
      {status.state === 'loading' && <p>{t('agenda.opening')}</p>}
      {status.state === 'failed' && <p className="error">{t('agenda.documentFailed')}</p>}
      <div className="document-pages" ref={pagesRef} />
    </div>,
    document.body,
  );
}

type PageSlot = HTMLDivElement & { draw?: () => void };

/** One page: its picture at the screen's pixel density, and its text over it. */
async function drawPage(page: pdfjs.PDFPageProxy, viewport: pdfjs.PageViewport, slot: HTMLDivElement): Promise<void> {
  const density = window.devicePixelRatio || 1;
  const canvas = document.createElement('canvas');
  canvas.width = Math.floor(viewport.width * density);
  canvas.height = Math.floor(viewport.height * density);
  const text = document.createElement('div');
  text.className = 'textLayer';
  slot.append(canvas, text);
  await page.render({ canvas, viewport, transform: density === 1 ? undefined : [density, 0, 0, density, 0, 0] }).promise;
  await new pdfjs.TextLayer({ textContentSource: page.streamTextContent(), container: text, viewport }).render();
  slot.dataset.drawn = 'true';
}
