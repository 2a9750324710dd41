-- CreateEnum
CREATE TYPE "CameraStatus" AS ENUM ('UNKNOWN', 'ONLINE', 'OFFLINE', 'UNSUPPORTED');

-- CreateTable
CREATE TABLE "Camera" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "unitName" TEXT NOT NULL,
    "counter" TEXT NOT NULL,
    "onvifAddress" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordCipher" TEXT NOT NULL,
    "mainProfileToken" TEXT NOT NULL,
    "subProfileToken" TEXT NOT NULL,
    "mainStreamUri" TEXT NOT NULL,
    "subStreamUri" TEXT NOT NULL,
    "snapshotUri" TEXT,
    "encoding" TEXT NOT NULL,
    "ptz" BOOLEAN NOT NULL DEFAULT false,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "status" "CameraStatus" NOT NULL DEFAULT 'UNKNOWN',
    "lastSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Camera_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CameraEvent" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "status" "CameraStatus" NOT NULL,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CameraEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Camera_onvifAddress_key" ON "Camera"("onvifAddress");

-- CreateIndex
CREATE INDEX "CameraEvent_cameraId_at_idx" ON "CameraEvent"("cameraId", "at");

-- AddForeignKey
ALTER TABLE "CameraEvent" ADD CONSTRAINT "CameraEvent_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

