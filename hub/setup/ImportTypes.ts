import type { ImportAudit } from '../audit/index.js';
import type { Said } from '../../shared/messages/index.js';
import type { ImportedAccountDto } from '../../shared/provinceImport.js';

/** A data row of the file: its number as the spreadsheet shows it, and its cells by the field each column fills. */
export interface FileRow {
  line: number;
  values: Record<string, string>;
}

/** A row as checked: what it creates when nothing is wrong with it. */
export interface CheckedRow<Row> {
  line: number;
  problems: Said[];
  row?: Row;
}

/** One kind of the province's set-up (units, accounts, cameras): how its rows are checked and created. */
export interface KindImporter {
  /** Each row's problems: its cells, a row before it naming the same item, what the hub holds already. */
  check(rows: FileRow[]): Promise<Array<CheckedRow<unknown>>>;
  /** Creates every row, all together or none; refuses when a row has a problem. */
  apply(rows: FileRow[], audit: ImportAudit): Promise<{ created: number; accounts?: ImportedAccountDto[] }>;
}
