import { createUnitSchema } from '../../shared/units.js';
import { importLevelSchema } from '../../shared/provinceImport.js';
import { said } from '../../shared/messages/index.js';
import type { UnitAdmin } from '../units/index.js';
import type { ImportAudit } from '../audit/index.js';
import { checkRows, readyRows, refuseRows } from './checkRows.js';
import type { FileRow, KindImporter } from './ImportTypes.js';

const unitRowSchema = createUnitSchema.extend({ level: importLevelSchema });

/** The province's units from a file: a code the hub has (in service, retired or merged) is refused. */
export class UnitImporter implements KindImporter {
  readonly #units: UnitAdmin;

  constructor(units: UnitAdmin) {
    this.#units = units;
  }

  async check(rows: FileRow[]) {
    const known = new Set((await this.#units.list()).map((unit) => unit.code));
    return refuseRows(
      checkRows(rows, unitRowSchema, (unit) => unit.code),
      (unit) => (known.has(unit.code) ? said('unit.codeTaken', { code: unit.code }) : undefined),
    );
  }

  async apply(rows: FileRow[], audit: ImportAudit) {
    return { created: await this.#units.addAll(readyRows(await this.check(rows)), audit) };
  }
}
