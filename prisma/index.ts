/** prisma/: the data layer. Migrations are plain SQL per provider, applied at start-up. */
export { openDatabase } from './database.js';
export type { Database, DatabaseConfig, DatabaseProvider, Db, DbTransaction } from './database.js';
export { applyMigrations, migrationsFor, MigrationChecksumError, MigrationForeignKeyError } from './migrator.js';
export { seedSampleData, defaultSamplePassword } from './seed.js';
export { disableSamplePasswordAccounts, ensureFirstAdmin } from './firstAdmin.js';
export type { FirstAdmin } from './firstAdmin.js';
export { seedYear } from './yearSeed.js';
export type { YearSeedOptions, YearSeedResult } from './yearSeed.js';
export { generatePassword, hashPassword, verifyPassword } from './passwords.js';
export { sampleBridgePoints, sampleUsers } from './sampleBridgePoints.js';
export { projectRoot } from './projectRoot.js';
