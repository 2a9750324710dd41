import { createUserSchema } from '../../shared/accounts.js';
import { importRoleSchema } from '../../shared/provinceImport.js';
import { said } from '../../shared/messages/index.js';
import type { AccountAdmin } from '../accounts/index.js';
import type { UnitAdmin } from '../units/index.js';
import type { ImportAudit } from '../audit/index.js';
import { checkRows, readyRows, refuseRows } from './checkRows.js';
import type { FileRow, KindImporter } from './ImportTypes.js';

const accountRowSchema = createUserSchema.extend({ role: importRoleSchema });

/**
 * Accounts from a file: a username the hub has is refused, and a bridge point's account needs a unit in
 * service (import the units first). Each created account gets a one-time password, returned once.
 */
export class AccountImporter implements KindImporter {
  readonly #accounts: AccountAdmin;
  readonly #units: UnitAdmin;

  constructor(accounts: AccountAdmin, units: UnitAdmin) {
    this.#accounts = accounts;
    this.#units = units;
  }

  async check(rows: FileRow[]) {
    const [accounts, units] = await Promise.all([this.#accounts.list(), this.#units.list()]);
    const taken = new Set(accounts.map((account) => account.username));
    const unitsByCode = new Map(units.map((unit) => [unit.code, unit]));
    return refuseRows(
      checkRows(rows, accountRowSchema, (account) => account.username),
      ({ username, role, bridgePointCode: code }) => {
        if (taken.has(username)) return said('account.usernameTaken', { username });
        if (role === 'BRIDGE_POINT' && !code) return said('account.needsSite');
        if (!code || (role !== 'BRIDGE_POINT' && role !== 'CHAIR')) return undefined;
        const unit = unitsByCode.get(code);
        if (!unit) return said('import.unitMissing', { code });
        return unit.retiredAt ? said('unit.retired', { code }) : undefined;
      },
    );
  }

  async apply(rows: FileRow[], audit: ImportAudit) {
    const accounts = await this.#accounts.createAll(readyRows(await this.check(rows)), audit);
    return { created: accounts.length, accounts };
  }
}
