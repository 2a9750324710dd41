-- CreateTable
CREATE TABLE "BridgePointHistory" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bridgePointId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "validUntil" DATETIME NOT NULL,
    CONSTRAINT "BridgePointHistory_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorId" INTEGER,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "detail" TEXT,
    "address" TEXT
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_BridgePoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "iceTransportPolicy" TEXT NOT NULL DEFAULT 'ALL',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" DATETIME,
    "mergedIntoId" INTEGER,
    CONSTRAINT "BridgePoint_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "BridgePoint" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_BridgePoint" ("code", "createdAt", "iceTransportPolicy", "id", "level", "name") SELECT "code", "createdAt", "iceTransportPolicy", "id", "level", "name" FROM "BridgePoint";
DROP TABLE "BridgePoint";
ALTER TABLE "new_BridgePoint" RENAME TO "BridgePoint";
CREATE UNIQUE INDEX "BridgePoint_code_key" ON "BridgePoint"("code");
CREATE TABLE "new_User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "bridgePointId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "disabledAt" DATETIME,
    CONSTRAINT "User_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_User" ("bridgePointId", "createdAt", "displayName", "id", "passwordHash", "role", "username") SELECT "bridgePointId", "createdAt", "displayName", "id", "passwordHash", "role", "username" FROM "User";
DROP TABLE "User";
ALTER TABLE "new_User" RENAME TO "User";
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");
CREATE TABLE "new_AuthSession" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "address" TEXT,
    CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_AuthSession" ("createdAt", "expiresAt", "tokenHash", "userId") SELECT "createdAt", "expiresAt", "tokenHash", "userId" FROM "AuthSession";
DROP TABLE "AuthSession";
ALTER TABLE "new_AuthSession" RENAME TO "AuthSession";
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");
CREATE INDEX "AuthSession_expiresAt_idx" ON "AuthSession"("expiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "BridgePointHistory_bridgePointId_validUntil_idx" ON "BridgePointHistory"("bridgePointId", "validUntil");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");

-- CreateIndex
CREATE INDEX "AuditEntry_target_idx" ON "AuditEntry"("target");

