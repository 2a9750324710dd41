import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseConfig, DatabaseProvider } from './database.js';
import { projectRoot } from './projectRoot.js';
import { HubError } from '../errors/index.js';

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

/** A migration left rows pointing at nothing (SQLite checks its foreign keys before it commits). */
export class MigrationForeignKeyError extends HubError {
  constructor(name: string, violations: unknown[]) {
    super(
      'INTERNAL',
      `migration ${name} would leave ${violations.length} row(s) whose foreign key points at nothing: ${JSON.stringify(violations.slice(0, 5))}`,
    );
  }
}

export class MigrationChecksumError extends HubError {
  constructor(name: string) {
    super('INTERNAL', `migration ${name} was changed after it was applied; write a new migration instead`);
  }
}

export function migrationsFor(provider: DatabaseProvider): Migration[] {
  const dir = path.join(projectRoot, 'prisma', 'migrations', provider);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const ledgerDdl =
  'CREATE TABLE IF NOT EXISTS "_hub_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)';

/**
 * Applies the provider's SQL migrations in order, each in its own transaction, recording them in
 * _hub_migrations. Prisma's migrate needs a schema engine that cannot be fetched offline; this
 * needs only the drivers the app already uses.
 */
export async function applyMigrations(config: DatabaseConfig, options: { through?: string } = {}): Promise<string[]> {
  let migrations = migrationsFor(config.provider);
  // up to an older version only: an upgrade's test starts from there
  if (options.through !== undefined) {
    const last = migrations.findIndex((m) => m.name === options.through);
    if (last < 0) throw new Error(`no migration ${options.through}`);
    migrations = migrations.slice(0, last + 1);
  }
  return config.provider === 'sqlite' ? applySqlite(config.url, migrations) : applyPostgres(config.url, migrations);
}

function pending(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  return migrations.filter((m) => {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) throw new MigrationChecksumError(m.name);
    return checksum === undefined;
  });
}

function applySqlite(file: string, migrations: Migration[]): string[] {
  const db = new BetterSqlite3(file);
  try {
    db.exec(ledgerDdl);
    const rows = db.prepare('SELECT "name", "checksum" FROM "_hub_migrations"').all() as Array<{ name: string; checksum: string }>;
    const todo = pending(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
    // SQLite ignores PRAGMA foreign_keys inside a transaction, so the "PRAGMA foreign_keys=OFF" of a migration
    // that rebuilds a table (Prisma's RedefineTables) did nothing: its DROP TABLE deleted the old rows first,
    // with every ON DELETE CASCADE (every user's sessions went with the User table). Off around the
    // migrations, as SQLite's own procedure for altering a table says; checked before each commit instead.
    db.pragma('foreign_keys = OFF');
    for (const m of todo) {
      db.transaction(() => {
        db.exec(m.sql);
        const violations = db.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) throw new MigrationForeignKeyError(m.name, violations);
        db.prepare('INSERT INTO "_hub_migrations" VALUES (?, ?, ?)').run(m.name, m.checksum, new Date().toISOString());
      })();
    }
    db.pragma('foreign_keys = ON');
    return todo.map((m) => m.name);
  } finally {
    db.close();
  }
}

async function applyPostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time, even with several app instances starting together.
    await client.query('SELECT pg_advisory_lock(727274)');
    await client.query(ledgerDdl);
    const { rows } = await client.query<{ name: string; checksum: string }>('SELECT "name", "checksum" FROM "_hub_migrations"');
    const todo = pending(new Map(rows.map((r) => [r.name, r.checksum])), migrations);
    for (const m of todo) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO "_hub_migrations" VALUES ($1, $2, $3)', [m.name, m.checksum, new Date().toISOString()]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
    return todo.map((m) => m.name);
  } finally {
    await client.end();
  }
}
