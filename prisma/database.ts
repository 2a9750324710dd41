import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/client.js';
import { applyMigrations } from './migrator.js';

export type DatabaseProvider = 'sqlite' | 'postgresql';

/**
 * The app's client type. Both generated clients share one data model (one source schema), so the
 * PostgreSQL client is used through the SQLite client's type.
 */
export type Db = SqliteClient;

/** The client an interactive transaction hands its callback: every write in it lands together or not at all. */
export type DbTransaction = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface DatabaseConfig {
  provider: DatabaseProvider;
  url: string;
}

export interface Database {
  prisma: Db;
  provider: DatabaseProvider;
  close(): Promise<void>;
}

/** Applies pending migrations, then returns a connected client. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.provider === 'sqlite') {
    fs.mkdirSync(path.dirname(config.url), { recursive: true });
    // accounts, sessions and camera records: the hub's user only (SQLite gives its -wal and -shm files the same mode)
    fs.closeSync(fs.openSync(config.url, 'a', 0o600));
    fs.chmodSync(config.url, 0o600);
  }
  await applyMigrations(config);
  const prisma =
    config.provider === 'sqlite'
      ? new SqliteClient({ adapter: new PrismaBetterSqlite3({ url: config.url }) })
      : (new PostgresClient({ adapter: new PrismaPg({ connectionString: config.url }) }) as unknown as Db);
  await prisma.$connect();
  return { prisma, provider: config.provider, close: () => prisma.$disconnect() };
}
