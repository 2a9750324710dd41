-- CreateEnum
CREATE TYPE "DeviceEventKind" AS ENUM ('MOTION', 'TAMPER', 'VIDEO_LOSS');

-- CreateTable
CREATE TABLE "CameraDeviceEvent" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "kind" "DeviceEventKind" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "CameraDeviceEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CameraDeviceEvent_cameraId_startedAt_idx" ON "CameraDeviceEvent"("cameraId", "startedAt");

-- AddForeignKey
ALTER TABLE "CameraDeviceEvent" ADD CONSTRAINT "CameraDeviceEvent_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

