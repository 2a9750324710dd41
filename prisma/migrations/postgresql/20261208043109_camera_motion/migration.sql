-- CreateEnum
CREATE TYPE "TamperKind" AS ENUM ('COVERED', 'MOVED');

-- CreateTable
CREATE TABLE "CameraTamper" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "kind" "TamperKind" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "CameraTamper_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CameraBookmark" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "from" TIMESTAMP(3) NOT NULL,
    "to" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CameraBookmark_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CameraTamper_cameraId_startedAt_idx" ON "CameraTamper"("cameraId", "startedAt");

-- CreateIndex
CREATE INDEX "CameraBookmark_cameraId_from_idx" ON "CameraBookmark"("cameraId", "from");

-- AddForeignKey
ALTER TABLE "CameraTamper" ADD CONSTRAINT "CameraTamper_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CameraBookmark" ADD CONSTRAINT "CameraBookmark_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

