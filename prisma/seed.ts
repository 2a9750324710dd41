import type { Db } from './database.js';
import { hashPassword } from './passwords.js';
import { sampleBridgePoints, sampleUsers } from './sampleBridgePoints.js';

/** The sample accounts' password (README); set SAMPLE_PASSWORD to choose another. */
export const defaultSamplePassword = 'hop-truc-tuyen';

/**
 * Sample mode: a new database gets the sample bridge points and accounts. Only a new one: a unit the
 * admin merged or an account they deleted does not come back at the next start.
 */
export async function seedSampleData(prisma: Db, password = defaultSamplePassword): Promise<void> {
  if ((await prisma.bridgePoint.count()) === 0) await prisma.bridgePoint.createMany({ data: sampleBridgePoints });
  if ((await prisma.user.count()) > 0) return;
  const points = new Map((await prisma.bridgePoint.findMany({ select: { id: true, code: true } })).map((p) => [p.code, p.id]));
  const passwordHash = await hashPassword(password);
  await prisma.user.createMany({
    data: sampleUsers().map((u) => ({
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      passwordHash,
      bridgePointId: u.bridgePointCode ? (points.get(u.bridgePointCode) ?? null) : null,
    })),
  });
}
