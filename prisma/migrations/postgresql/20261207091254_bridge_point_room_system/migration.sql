-- CreateTable
CREATE TABLE "RoomSystem" (
    "id" SERIAL NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "address" TEXT,
    "username" TEXT NOT NULL,
    "passwordCipher" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RoomSystem_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RoomSystem_bridgePointId_key" ON "RoomSystem"("bridgePointId");

-- CreateIndex
CREATE UNIQUE INDEX "RoomSystem_username_key" ON "RoomSystem"("username");

-- AddForeignKey
ALTER TABLE "RoomSystem" ADD CONSTRAINT "RoomSystem_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE CASCADE ON UPDATE CASCADE;

