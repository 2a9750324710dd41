-- CreateEnum
CREATE TYPE "RecordMode" AS ENUM ('ALWAYS', 'OFFICE_HOURS', 'OFF');

-- AlterEnum
ALTER TYPE "CameraStatus" ADD VALUE 'UNAUTHORIZED';

-- AlterTable
ALTER TABLE "Camera" ADD COLUMN     "recordMode" "RecordMode" NOT NULL DEFAULT 'OFF',
ADD COLUMN     "subEncoding" TEXT NOT NULL DEFAULT 'H264';

-- a camera registered before profiles had their own encoding: its sub stream was reported like its main one
UPDATE "Camera" SET "subEncoding" = "encoding";

-- CreateTable
CREATE TABLE "RecordingSegment" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL,
    "bytes" INTEGER NOT NULL,

    CONSTRAINT "RecordingSegment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvidenceLock" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "from" TIMESTAMP(3) NOT NULL,
    "to" TIMESTAMP(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "lockedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" TIMESTAMP(3),
    "releasedBy" TEXT,

    CONSTRAINT "EvidenceLock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WallLayout" (
    "username" TEXT NOT NULL,
    "tiles" INTEGER NOT NULL DEFAULT 36,
    "groupByUnit" BOOLEAN NOT NULL DEFAULT true,
    "carouselSeconds" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WallLayout_pkey" PRIMARY KEY ("username")
);

-- CreateIndex
CREATE UNIQUE INDEX "RecordingSegment_file_key" ON "RecordingSegment"("file");

-- CreateIndex
CREATE INDEX "RecordingSegment_cameraId_startedAt_idx" ON "RecordingSegment"("cameraId", "startedAt");

-- CreateIndex
CREATE INDEX "RecordingSegment_startedAt_idx" ON "RecordingSegment"("startedAt");

-- CreateIndex
CREATE INDEX "EvidenceLock_cameraId_from_idx" ON "EvidenceLock"("cameraId", "from");

-- AddForeignKey
ALTER TABLE "RecordingSegment" ADD CONSTRAINT "RecordingSegment_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvidenceLock" ADD CONSTRAINT "EvidenceLock_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

