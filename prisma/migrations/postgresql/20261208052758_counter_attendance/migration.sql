-- AlterTable
ALTER TABLE "Camera" ADD COLUMN     "staffZone" TEXT;

-- CreateTable
CREATE TABLE "CounterObservation" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "CounterObservation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CounterAbsence" (
    "id" SERIAL NOT NULL,
    "cameraId" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3) NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "CounterAbsence_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CounterObservation_cameraId_startedAt_idx" ON "CounterObservation"("cameraId", "startedAt");

-- CreateIndex
CREATE INDEX "CounterAbsence_cameraId_startedAt_idx" ON "CounterAbsence"("cameraId", "startedAt");

-- AddForeignKey
ALTER TABLE "CounterObservation" ADD CONSTRAINT "CounterObservation_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CounterAbsence" ADD CONSTRAINT "CounterAbsence_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera"("id") ON DELETE CASCADE ON UPDATE CASCADE;

