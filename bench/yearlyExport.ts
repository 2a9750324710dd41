/**
 * Yearly export time: a seeded year (104 meetings, ~35,000 delegate attendances) on SQLite and on
 * PostgreSQL, then the secretariat's three downloads over HTTP, each timed N times (median, max).
 *   npm run bench:export [-- --runs 10]
 */
import type { AddressInfo } from 'node:net';
import { MediaServer } from '../media-server/index.js';
import { openDatabase, seedSampleData, seedYear, type DatabaseConfig } from '../prisma/index.js';
import { buildApp } from '../hub/index.js';
import { tempDatabase } from '../test/integration/helpers.js';
import { signIn } from './signIn.js';
import { ensurePostgres } from '../scripts/postgres.mjs';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function benchProvider(provider: DatabaseConfig['provider']) {
  process.env.HUB_TEST_DATABASE = provider;
  const temp = await tempDatabase();
  const database = await openDatabase(temp.config);
  await seedSampleData(database.prisma);
  const seeded = await seedYear(database.prisma, { year: 2025 });
  const media = await MediaServer.create({
    numWorkers: 1,
    listenIp: '127.0.0.1',
    rtcMinPort: 44000,
    rtcMaxPort: 44100,
    peersPerRouter: 200,
  });
  const app = await buildApp({ prisma: database.prisma, media, logLevel: 'warn' });
  await app.http.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.http.server.address() as AddressInfo).port}`;
  const { token } = await signIn(base, 'thu-ky');
  const results: Record<string, { medianMs: number; maxMs: number; bytes: number }> = {};
  for (const [name, query] of [
    ['json', ''],
    ['csv-meetings', '&format=csv'],
    ['csv-bridge-points', '&format=csv&table=bridge-points'],
    ['xlsx', '&format=xlsx'],
  ] as const) {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs + 1; i++) {
      const start = performance.now();
      const response = await fetch(`${base}/api/reports/period?from=2025-01-01&to=2026-01-01${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      bytes = (await response.arrayBuffer()).byteLength;
      if (!response.ok) throw new Error(`${name}: ${response.status}`);
      if (i > 0) times.push(performance.now() - start); // the first request warms caches and JIT
    }
    results[name] = { medianMs: Math.round(median(times)), maxMs: Math.round(Math.max(...times)), bytes };
  }
  await app.http.close();
  await media.close();
  await database.close();
  await temp.drop();
  return { provider, seeded, runs, results };
}

process.env.TEST_POSTGRES_ADMIN_URL ??= ensurePostgres('hub_bench');
for (const provider of ['sqlite', 'postgresql'] as const) {
  const { seeded, results } = await benchProvider(provider);
  console.log(
    `${provider}: ${seeded.meetings} meetings, ${seeded.attendanceSessions} attendance sessions, ${seeded.delegates} delegate attendances`,
  );
  for (const [name, r] of Object.entries(results))
    console.log(`  ${name.padEnd(18)} median ${r.medianMs} ms, max ${r.maxMs} ms, ${r.bytes} bytes`);
}
