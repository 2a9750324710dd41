import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, MigrationChecksumError, openDatabase, seedSampleData, sampleBridgePoints } from '../../prisma/index.js';
import { fullSchemaSql } from '../../scripts/prisma.mjs';
import { postgresAdmin, tempSqliteUrl } from './helpers.js';

const ledger = '_hub_migrations';

function sqliteShape(file: string) {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{
        name: string;
      }>
    )
      .map((t) => t.name)
      .filter((name) => name !== ledger);
    return tables.map((table) => ({
      table,
      columns: db.prepare(`PRAGMA table_info("${table}")`).all(),
      // the order the indexes were made in (`seq`) is no part of the schema: one a later migration adds comes last
      indexes: (db.prepare(`PRAGMA index_list("${table}")`).all() as Array<{ name: string; unique: number; seq: number }>)
        .map(({ seq: _order, ...i }) => ({ ...i, columns: db.prepare(`PRAGMA index_info("${i.name}")`).all() }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      foreignKeys: db.prepare(`PRAGMA foreign_key_list("${table}")`).all(),
    }));
  } finally {
    db.close();
  }
}

async function postgresShape(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async (sql: string) => (await client.query(sql)).rows;
    return {
      columns: await q(`SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default FROM information_schema.columns
                        WHERE table_schema='public' AND table_name <> '${ledger}' ORDER BY table_name, column_name`),
      indexes: await q(
        `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname='public' AND tablename <> '${ledger}' ORDER BY indexname`,
      ),
      constraints: await q(
        `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE connamespace='public'::regnamespace AND conrelid NOT IN (SELECT oid FROM pg_class WHERE relname = '${ledger}') ORDER BY conname`,
      ),
      enums: await q(
        `SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid=t.oid ORDER BY t.typname, e.enumsortorder`,
      ),
    };
  } finally {
    await client.end();
  }
}

describe('SQLite migrations', () => {
  it('add up to exactly the Prisma schema', async () => {
    const migrated = tempSqliteUrl();
    expect(await applyMigrations({ provider: 'sqlite', url: migrated })).not.toHaveLength(0);
    const reference = tempSqliteUrl();
    const referenceDb = new BetterSqlite3(reference);
    referenceDb.exec(fullSchemaSql('sqlite'));
    referenceDb.close();
    expect(sqliteShape(migrated)).toEqual(sqliteShape(reference));
  });

  it('are applied once, and the Prisma client works on the result', async () => {
    const url = tempSqliteUrl();
    const database = await openDatabase({ provider: 'sqlite', url });
    await seedSampleData(database.prisma);
    await seedSampleData(database.prisma);
    expect(await database.prisma.bridgePoint.count()).toBe(sampleBridgePoints.length);
    await database.close();
    expect(await applyMigrations({ provider: 'sqlite', url })).toEqual([]);
  });

  it('keep the database file readable by the hub’s user only (mode 0600)', async () => {
    const url = tempSqliteUrl();
    const database = await openDatabase({ provider: 'sqlite', url });
    await seedSampleData(database.prisma);
    for (const file of [url, `${url}-wal`, `${url}-shm`].filter((f) => fs.existsSync(f)))
      expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
    await database.close();
  });

  it('keep every row of a table they rebuild, and what refers to it: the sessions survive the upgrade that rebuilt User', async () => {
    const url = tempSqliteUrl();
    // the database as the version before the accounts' reorganisation left it, with a signed-in user
    await applyMigrations({ provider: 'sqlite', url }, { through: '20261202112536_meeting_control_state' });
    const before = new BetterSqlite3(url);
    before
      .prepare('INSERT INTO "User" ("username", "displayName", "role", "passwordHash") VALUES (?, ?, ?, ?)')
      .run('so-nv', 'Sở Nội vụ', 'BRIDGE_POINT', 'hash');
    before
      .prepare('INSERT INTO "AuthSession" ("tokenHash", "userId", "expiresAt") VALUES (?, 1, ?)')
      .run('token-hash', Date.now() + 86_400_000);
    before.close();

    expect(await applyMigrations({ provider: 'sqlite', url })).toContain('20261202142431_accounts_audit_reorganisation');
    const after = await openDatabase({ provider: 'sqlite', url });
    try {
      expect(await after.prisma.authSession.findMany({ select: { tokenHash: true, user: { select: { username: true } } } })).toEqual([
        { tokenHash: 'token-hash', user: { username: 'so-nv' } },
      ]);
    } finally {
      await after.close();
    }
    // foreign keys are on again for the hub
    const check = new BetterSqlite3(url);
    expect(check.pragma('foreign_key_check')).toEqual([]);
    check.close();
  });

  it('refuses a migration edited after it was applied', async () => {
    const url = tempSqliteUrl();
    await applyMigrations({ provider: 'sqlite', url });
    const db = new BetterSqlite3(url);
    db.prepare(`UPDATE "${ledger}" SET checksum = 'edited'`).run();
    db.close();
    await expect(applyMigrations({ provider: 'sqlite', url })).rejects.toBeInstanceOf(MigrationChecksumError);
  });
});

const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL;

describe.runIf(adminUrl)('PostgreSQL migrations', () => {
  const created: string[] = [];
  const admin = (sql: string) => postgresAdmin(adminUrl!, sql);
  async function freshDatabase(name: string): Promise<string> {
    await admin(`DROP DATABASE IF EXISTS ${name}`);
    await admin(`CREATE DATABASE ${name}`);
    created.push(name);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    return url.toString();
  }
  afterAll(async () => {
    for (const name of created) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });

  it('add up to exactly the Prisma schema, and the Prisma client works on the result', async () => {
    const migrated = await freshDatabase('hub_test_migrated');
    const reference = await freshDatabase('hub_test_reference');
    process.env.DATABASE_URL_POSTGRES_SHADOW = adminUrl;
    const referenceClient = new pg.Client({ connectionString: reference });
    await referenceClient.connect();
    await referenceClient.query(fullSchemaSql('postgresql'));
    await referenceClient.end();

    const database = await openDatabase({ provider: 'postgresql', url: migrated });
    await seedSampleData(database.prisma);
    expect(await database.prisma.bridgePoint.count()).toBe(sampleBridgePoints.length);
    await database.close();
    expect(await postgresShape(migrated)).toEqual(await postgresShape(reference));
  });
});
