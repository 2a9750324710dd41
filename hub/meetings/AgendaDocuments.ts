import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { said } from '../../shared/messages/index.js';
import { MeetingRuleError } from './meetingRules.js';
import type { StoredDocument } from './AgendaStore.js';

/** A PDF read through: its pages, and its SHA-256 for the audit trail. */
export interface CheckedDocument {
  bytes: number;
  pages: number;
  sha256: string;
}

/**
 * The agenda's documents on disk, beside the meeting's recordings (`<recordings>/<meeting>/documents/<id>.pdf`,
 * the same disk and the same backups). What is stored has been read through by PDF.js, the reader the pages use:
 * a file that is not a PDF, or one PDF.js cannot open, is refused in words rather than failing on a delegate's
 * page.
 */
export class AgendaDocuments {
  readonly #recordingsDir: string;
  readonly maxBytes: number;

  constructor(options: { recordingsDir: string; maxBytes: number }) {
    this.#recordingsDir = options.recordingsDir;
    this.maxBytes = options.maxBytes;
  }

  /** The limit as a person reads it: megabytes, to a tenth. */
  get maxMegabytes(): number {
    return Math.round((this.maxBytes / 1024 ** 2) * 10) / 10;
  }

  async check(content: Buffer): Promise<CheckedDocument> {
    if (content.length > this.maxBytes)
      throw new MeetingRuleError('INVALID', said('agenda.documentTooLarge', { megabytes: this.maxMegabytes }));
    if (!content.subarray(0, 1024).includes('%PDF-')) throw new MeetingRuleError('INVALID', 'agenda.documentNotPdf');
    const loading = getDocument({
      data: new Uint8Array(content),
      stopAtErrors: true,
      verbosity: VerbosityLevel.ERRORS,
    });
    try {
      const pdf = await loading.promise;
      // a page that cannot be read fails here, not in the delegate's viewer
      for (let number = 1; number <= pdf.numPages; number++) await pdf.getPage(number);
      return { bytes: content.length, pages: pdf.numPages, sha256: createHash('sha256').update(content).digest('hex') };
    } catch (error) {
      if (error instanceof Error && error.name === 'PasswordException') throw new MeetingRuleError('INVALID', 'agenda.documentLocked');
      throw new MeetingRuleError('INVALID', 'agenda.documentUnreadable');
    } finally {
      await loading.destroy();
    }
  }

  async write(stored: StoredDocument, content: Buffer): Promise<void> {
    const file = this.file(stored);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // written whole under another name first: a reader never opens half a document
    await fs.promises.writeFile(`${file}.part`, content);
    await fs.promises.rename(`${file}.part`, file);
  }

  file(stored: Pick<StoredDocument, 'id' | 'meetingId'>): string {
    return path.join(this.#recordingsDir, stored.meetingId, 'documents', `${stored.id}.pdf`);
  }

  async remove(stored: Pick<StoredDocument, 'id' | 'meetingId'>): Promise<void> {
    await fs.promises.rm(this.file(stored), { force: true });
  }
}
