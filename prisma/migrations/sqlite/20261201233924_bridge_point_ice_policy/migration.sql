-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_BridgePoint" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "iceTransportPolicy" TEXT NOT NULL DEFAULT 'ALL',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_BridgePoint" ("code", "createdAt", "id", "level", "name") SELECT "code", "createdAt", "id", "level", "name" FROM "BridgePoint";
DROP TABLE "BridgePoint";
ALTER TABLE "new_BridgePoint" RENAME TO "BridgePoint";
CREATE UNIQUE INDEX "BridgePoint_code_key" ON "BridgePoint"("code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

