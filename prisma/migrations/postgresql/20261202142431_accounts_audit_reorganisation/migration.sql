-- AlterEnum
ALTER TYPE "MeetingStatus" ADD VALUE 'CANCELLED';

-- AlterTable
ALTER TABLE "BridgePoint" ADD COLUMN     "mergedIntoId" INTEGER,
ADD COLUMN     "retiredAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "disabledAt" TIMESTAMP(3),
ADD COLUMN     "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "AuthSession" ADD COLUMN     "address" TEXT,
ADD COLUMN     "lastUsedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "BridgePointHistory" (
    "id" SERIAL NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "level" "UnitLevel" NOT NULL,
    "validUntil" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "BridgePointHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" SERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" TEXT,
    "address" TEXT,

    CONSTRAINT "AuditEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BridgePointHistory_bridgePointId_validUntil_idx" ON "BridgePointHistory"("bridgePointId", "validUntil");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_target_idx" ON "AuditEntry"("target");

-- CreateIndex
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");

-- AddForeignKey
ALTER TABLE "BridgePoint" ADD CONSTRAINT "BridgePoint_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "BridgePoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BridgePointHistory" ADD CONSTRAINT "BridgePointHistory_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

