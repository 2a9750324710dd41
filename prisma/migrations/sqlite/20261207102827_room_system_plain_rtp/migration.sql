-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RoomSystem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bridgePointId" INTEGER NOT NULL,
    "address" TEXT,
    "username" TEXT NOT NULL,
    "passwordCipher" TEXT NOT NULL,
    "allowPlainRtp" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoomSystem_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RoomSystem" ("address", "bridgePointId", "id", "passwordCipher", "updatedAt", "username") SELECT "address", "bridgePointId", "id", "passwordCipher", "updatedAt", "username" FROM "RoomSystem";
DROP TABLE "RoomSystem";
ALTER TABLE "new_RoomSystem" RENAME TO "RoomSystem";
CREATE UNIQUE INDEX "RoomSystem_bridgePointId_key" ON "RoomSystem"("bridgePointId");
CREATE UNIQUE INDEX "RoomSystem_username_key" ON "RoomSystem"("username");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

