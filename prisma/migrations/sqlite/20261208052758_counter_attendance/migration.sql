-- AlterTable
ALTER TABLE "Camera" ADD COLUMN "staffZone" TEXT;

-- CreateTable
CREATE TABLE "CounterObservation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cameraId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "CounterObservation_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "CounterAbsence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cameraId" INTEGER NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME NOT NULL,
    "open" BOOLEAN NOT NULL DEFAULT true,
    CONSTRAINT "CounterAbsence_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CounterObservation_cameraId_startedAt_idx" ON "CounterObservation"("cameraId", "startedAt");

-- CreateIndex
CREATE INDEX "CounterAbsence_cameraId_startedAt_idx" ON "CounterAbsence"("cameraId", "startedAt");

