import { createHash } from 'node:crypto';
import { z } from 'zod';
import { said, type Said } from '../../shared/messages/index.js';
import {
  foldWord,
  importColumns,
  maxImportRows,
  type ImportAppliedDto,
  type ImportCheckDto,
  type ImportFile,
  type ImportKind,
} from '../../shared/provinceImport.js';
import { HubError } from '../../errors/index.js';
import { importAudit, type AuditActor } from '../audit/index.js';
import { readSheet, type Sheet } from './sheetFile.js';
import type { FileRow, KindImporter } from './ImportTypes.js';

/** A file read against its kind's columns: its rows by field, or what keeps it from being read at all. */
interface ReadFile {
  rows: FileRow[];
  fileProblems: Said[];
  ignoredColumns: string[];
}

/**
 * Setting up a province from files: a dry run that says each row's problem, then an apply that creates every
 * row or none, audited with the file's name and its SHA-256. Applying checks the file again: what the hub holds
 * may have changed since the dry run.
 */
export class ProvinceImport {
  readonly #importers: Readonly<Record<ImportKind, KindImporter>>;

  constructor(importers: Readonly<Record<ImportKind, KindImporter>>) {
    this.#importers = importers;
  }

  async check(kind: ImportKind, file: ImportFile): Promise<ImportCheckDto> {
    const { rows, fileProblems, ignoredColumns } = readColumns(kind, await readSheet(bytesOf(file)));
    const checked = fileProblems.length > 0 ? [] : await this.#importers[kind].check(rows);
    const secret = new Set(importColumns[kind].filter((c) => c.secret).map((c) => c.field));
    return {
      kind,
      fileName: file.fileName,
      fileProblems,
      ignoredColumns,
      rows: checked.map(({ line, problems }, i) => ({
        line,
        problems,
        values: Object.fromEntries(Object.entries(rows[i]!.values).filter(([field]) => !secret.has(field))),
      })),
      ready: fileProblems.length === 0 && checked.every((row) => row.problems.length === 0),
    };
  }

  async apply(actor: AuditActor, kind: ImportKind, file: ImportFile, address?: string): Promise<ImportAppliedDto> {
    const bytes = bytesOf(file);
    const { rows, fileProblems } = readColumns(kind, await readSheet(bytes));
    if (fileProblems.length > 0) throw new HubError('INVALID', fileProblems[0]!);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const audit = importAudit(actor, { importKind: kind, fileName: file.fileName, sha256, rows: rows.length }, address);
    try {
      return { kind, ...(await this.#importers[kind].apply(rows, audit)) };
    } catch (error) {
      // another admin (or a second click) created one of the file's items after it was checked: the transaction undid them all
      if (isUniqueViolation(error)) throw new HubError('CONFLICT', 'import.changedMeanwhile', { cause: error });
      throw error;
    }
  }
}

const isUniqueViolation = (error: unknown) => uniqueViolationSchema.safeParse(error).success;
const uniqueViolationSchema = z.object({ code: z.literal('P2002') });

function bytesOf(file: ImportFile): Buffer {
  return Buffer.from(file.content, 'base64');
}

/**
 * Each heading matched to the column it names: the template's heading or the field's own name, with or without
 * accents, in any case. A column the kind does not have (a row number "STT", "Ghi chú") is left out and said
 * so; a column given twice, a required one missing, no rows or too many are the file's problems.
 */
function readColumns(kind: ImportKind, sheet: Sheet): ReadFile {
  const columns = importColumns[kind];
  const byWord = new Map(columns.flatMap((c) => [foldWord(c.heading), foldWord(c.field)].map((word) => [word, c.field])));
  const problems: Said[] = [];
  const fields = sheet.headings.map((heading) => byWord.get(foldWord(heading)));
  const ignoredColumns = sheet.headings.filter((heading, i) => heading !== '' && !fields[i]);
  for (const column of columns) {
    const count = fields.filter((field) => field === column.field).length;
    if (count > 1) problems.push(said('import.repeatedColumn', { column: column.heading }));
    if (count === 0 && column.required) problems.push(said('import.missingColumn', { column: column.heading }));
  }
  if (sheet.rows.length === 0) problems.push(said('import.noRows'));
  if (sheet.rows.length > maxImportRows) problems.push(said('import.tooManyRows', { maximum: maxImportRows }));
  const rows = sheet.rows.map(({ line, cells }) => ({
    line,
    values: Object.fromEntries(fields.flatMap((field, i) => (field ? [[field, cells[i] ?? '']] : []))),
  }));
  return { rows, fileProblems: problems, ignoredColumns };
}
