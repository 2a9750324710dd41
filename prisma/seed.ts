import type { Db } from './database.js';
import { sampleBridgePoints } from './sampleBridgePoints.js';

/** Inserts the sample bridge points that are missing; safe to run on every start. */
export async function seedSampleData(prisma: Db): Promise<void> {
  for (const point of sampleBridgePoints) {
    await prisma.bridgePoint.upsert({ where: { code: point.code }, update: {}, create: point });
  }
}
