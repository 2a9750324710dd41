// Prisma tooling that works without downloading engines: client generation for both providers, and
// (for developers) writing a new migration for both providers with prisma 6's WebAssembly schema engine.
//   node scripts/prisma.mjs generate
//   node scripts/prisma.mjs migration <name>     (PostgreSQL: needs DATABASE_URL_POSTGRES_SHADOW or a local server)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useProjectNode } from './node-runtime.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prismaDir = path.join(root, 'prisma');
const sourceSchema = path.join(prismaDir, 'schema.prisma');
const snapshotSchema = path.join(prismaDir, 'migrations', 'schema.snapshot.prisma');
const noEngine = path.join(prismaDir, 'no-schema-engine.sh');
const offlineEnv = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: noEngine,
  PRISMA_QUERY_ENGINE_LIBRARY: noEngine,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

/** The schema text for a provider: the source is SQLite; PostgreSQL swaps provider and output. */
export function schemaFor(provider, text = fs.readFileSync(sourceSchema, 'utf8')) {
  if (provider === 'sqlite') return text;
  return text
    .replace(/provider\s*=\s*"sqlite"/, 'provider = "postgresql"')
    .replace(/output\s*=\s*"\.\/generated\/sqlite"/, 'output = "./postgresql"');
}

export function generate() {
  const pgSchema = path.join(prismaDir, 'generated', 'postgresql.prisma');
  fs.mkdirSync(path.dirname(pgSchema), { recursive: true });
  fs.writeFileSync(pgSchema, schemaFor('postgresql'));
  for (const schema of [sourceSchema, pgSchema]) {
    execFileSync(process.execPath, [path.join(root, 'node_modules/prisma/build/index.js'), 'generate', '--schema', schema], {
      cwd: root,
      env: offlineEnv,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
}

function migrationSql(provider, fromText, toText, work) {
  const withUrl = (text) =>
    text
      .replace(/generator client \{[\s\S]*?\n\}\n/, '')
      .replace(
        /(provider\s*=\s*"(sqlite|postgresql)")/,
        provider === 'sqlite' ? '$1\n  url = "file:unused.db"' : '$1\n  url = "postgresql://unused"',
      );
  fs.writeFileSync(path.join(work, 'from.prisma'), withUrl(schemaFor(provider, fromText)));
  fs.writeFileSync(path.join(work, 'to.prisma'), withUrl(schemaFor(provider, toText)));
  const adapter =
    provider === 'sqlite'
      ? `const { PrismaBetterSqlite3 } = await import(${JSON.stringify(path.join(root, 'node_modules/@prisma/adapter-better-sqlite3/dist/index.mjs'))}); return new PrismaBetterSqlite3({ url: ':memory:' });`
      : `const { PrismaPg } = await import(${JSON.stringify(path.join(root, 'node_modules/@prisma/adapter-pg/dist/index.mjs'))}); return new PrismaPg({ connectionString: ${JSON.stringify(process.env.DATABASE_URL_POSTGRES_SHADOW ?? 'postgresql:///postgres?host=/var/run/postgresql')} });`;
  fs.writeFileSync(
    path.join(work, 'config.mjs'),
    `export default { experimental: { adapter: true }, engine: 'js', schema: './to.prisma', async adapter() { ${adapter} } };\n`,
  );
  return execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/prisma6/build/index.js'),
      'migrate',
      'diff',
      '--config',
      'config.mjs',
      '--from-schema-datamodel',
      'from.prisma',
      '--to-schema-datamodel',
      'to.prisma',
      '--script',
    ],
    { cwd: work, env: offlineEnv, encoding: 'utf8' },
  ).replace(/^Loaded Prisma config.*\n/m, '');
}

const emptySchema = 'datasource db {\n  provider = "sqlite"\n}\n';

export function writeMigration(name) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error('migration name: lowercase letters, digits, underscores');
  const current = fs.readFileSync(sourceSchema, 'utf8');
  const previous = fs.existsSync(snapshotSchema) ? fs.readFileSync(snapshotSchema, 'utf8') : emptySchema;
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'prisma-migration-'));
  try {
    for (const provider of ['sqlite', 'postgresql']) {
      const sql = migrationSql(provider, previous, current, work);
      const dir = path.join(prismaDir, 'migrations', provider, `${stamp}_${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
      console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
    }
    fs.writeFileSync(snapshotSchema, current);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The full SQL from an empty database to the current schema: what the migrations must add up to. */
export function fullSchemaSql(provider) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'prisma-full-'));
  try {
    return migrationSql(provider, emptySchema, fs.readFileSync(sourceSchema, 'utf8'), work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await useProjectNode();
  const [command, arg] = process.argv.slice(2);
  if (command === 'generate') generate();
  else if (command === 'migration' && arg) writeMigration(arg);
  else if (command === 'full-sql' && arg) process.stdout.write(fullSchemaSql(arg));
  else {
    console.error('usage: node scripts/prisma.mjs generate | migration <name> | full-sql <sqlite|postgresql>');
    process.exit(2);
  }
}
