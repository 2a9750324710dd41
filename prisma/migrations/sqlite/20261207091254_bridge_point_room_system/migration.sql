-- CreateTable
CREATE TABLE "RoomSystem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bridgePointId" INTEGER NOT NULL,
    "address" TEXT,
    "username" TEXT NOT NULL,
    "passwordCipher" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RoomSystem_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "RoomSystem_bridgePointId_key" ON "RoomSystem"("bridgePointId");

-- CreateIndex
CREATE UNIQUE INDEX "RoomSystem_username_key" ON "RoomSystem"("username");

