/** prisma/: the data layer. Migrations are plain SQL per provider, applied at start-up. */
export { databaseConfigFromEnv, openDatabase } from './database.js';
export type { Database, DatabaseConfig, DatabaseProvider, Db } from './database.js';
export { applyMigrations, migrationsFor, MigrationChecksumError } from './migrator.js';
export { seedSampleData } from './seed.js';
export { sampleBridgePoints } from './sampleBridgePoints.js';
export { projectRoot } from './projectRoot.js';
