// Fills the configured database (DATABASE_URL, else the SQLite default) with a year of held meetings,
// for trying the reports:  npm run seed:year -- --year 2025
import { loadHubConfig } from '../config/index.js';
import { openDatabase, seedSampleData, seedYear } from '../prisma/index.js';

const yearArg = process.argv.indexOf('--year');
const year = yearArg > 0 ? Number(process.argv[yearArg + 1]) : new Date().getFullYear() - 1;
if (!Number.isInteger(year) || year < 2000 || year > 2100) {
  console.error('--year: a year such as 2025');
  process.exit(1);
}
const config = loadHubConfig();
const database = await openDatabase(config.database);
await seedSampleData(database.prisma, config.samplePassword);
const result = await seedYear(database.prisma, { year });
console.log(
  `seeded ${year}: ${result.meetings} meetings, ${result.attendanceSessions} attendance sessions, ${result.delegates} delegate attendances`,
);
await database.close();
