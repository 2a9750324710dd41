-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Meeting" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "hostLevel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "scheduledStart" DATETIME NOT NULL,
    "scheduledEnd" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "chairId" INTEGER NOT NULL,
    "hostBridgePointId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "controlState" TEXT,
    "dialInCode" TEXT,
    "dialInPinCipher" TEXT,
    "callRoomSystemsAtStart" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Meeting_chairId_fkey" FOREIGN KEY ("chairId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Meeting_hostBridgePointId_fkey" FOREIGN KEY ("hostBridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Meeting" ("chairId", "controlState", "createdAt", "dialInCode", "dialInPinCipher", "endedAt", "hostBridgePointId", "hostLevel", "id", "locked", "scheduledEnd", "scheduledStart", "startedAt", "status", "title") SELECT "chairId", "controlState", "createdAt", "dialInCode", "dialInPinCipher", "endedAt", "hostBridgePointId", "hostLevel", "id", "locked", "scheduledEnd", "scheduledStart", "startedAt", "status", "title" FROM "Meeting";
DROP TABLE "Meeting";
ALTER TABLE "new_Meeting" RENAME TO "Meeting";
CREATE UNIQUE INDEX "Meeting_dialInCode_key" ON "Meeting"("dialInCode");
CREATE INDEX "Meeting_scheduledStart_idx" ON "Meeting"("scheduledStart");
CREATE INDEX "Meeting_status_idx" ON "Meeting"("status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

