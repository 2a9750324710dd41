import path from 'node:path';
import { MediaServer, mediaServerOptionsFromEnv } from '../media-server/index.js';
import { databaseConfigFromEnv, openDatabase, projectRoot, seedSampleData, seedYear } from '../prisma/index.js';
import { buildApp } from './app.js';

/** Starts the hub: database (migrated), SFU workers, HTTP + socket.io. Configuration: README. */
async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '0.0.0.0';
  const database = await openDatabase(databaseConfigFromEnv());
  if (process.env.SEED_SAMPLE_DATA !== 'false') {
    await seedSampleData(database.prisma);
    // A new database also gets last year's meetings, so the secretariat's reports have something to show.
    if ((await database.prisma.meeting.count()) === 0) await seedYear(database.prisma, { year: new Date().getFullYear() - 1 });
  }
  const media = await MediaServer.create(mediaServerOptionsFromEnv());
  const { http } = await buildApp({
    prisma: database.prisma,
    media,
    clientDir: process.env.CLIENT_DIR ?? path.join(projectRoot, 'dist', 'client'),
    logLevel: process.env.LOG_LEVEL ?? 'info',
  });
  await http.listen({ port, host });

  const shutdown = async () => {
    await http.close();
    await media.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
