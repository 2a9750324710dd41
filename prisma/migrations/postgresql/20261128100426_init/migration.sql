-- CreateEnum
CREATE TYPE "UnitLevel" AS ENUM ('PROVINCE', 'COMMUNE');

-- CreateTable
CREATE TABLE "BridgePoint" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" "UnitLevel" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BridgePoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BridgePoint_code_key" ON "BridgePoint"("code");

