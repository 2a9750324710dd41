import type { Db } from './database.js';
import { hashPassword } from './passwords.js';
import { sampleBridgePoints, sampleUsers } from './sampleBridgePoints.js';

/** The sample accounts' password (README); set SAMPLE_PASSWORD to choose another. */
export const defaultSamplePassword = 'hop-truc-tuyen';

/** Inserts the sample bridge points and accounts that are missing; safe to run on every start. */
export async function seedSampleData(prisma: Db, password = defaultSamplePassword): Promise<void> {
  for (const point of sampleBridgePoints) {
    await prisma.bridgePoint.upsert({ where: { code: point.code }, update: {}, create: point });
  }
  const existing = new Set((await prisma.user.findMany({ select: { username: true } })).map((u) => u.username));
  const missing = sampleUsers().filter((u) => !existing.has(u.username));
  const points = new Map((await prisma.bridgePoint.findMany({ select: { id: true, code: true } })).map((p) => [p.code, p.id]));
  const hashed = await Promise.all(missing.map(async (u) => ({ u, passwordHash: await hashPassword(password) })));
  for (const { u, passwordHash } of hashed) {
    await prisma.user.create({
      data: {
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        passwordHash,
        bridgePointId: u.bridgePointCode ? points.get(u.bridgePointCode) : null,
      },
    });
  }
}
