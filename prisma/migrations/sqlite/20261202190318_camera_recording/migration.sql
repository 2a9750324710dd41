-- CreateTable
CREATE TABLE "RecordingSegment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cameraId" INTEGER NOT NULL,
    "file" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "endedAt" DATETIME NOT NULL,
    "bytes" INTEGER NOT NULL,
    CONSTRAINT "RecordingSegment_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EvidenceLock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cameraId" INTEGER NOT NULL,
    "from" DATETIME NOT NULL,
    "to" DATETIME NOT NULL,
    "reason" TEXT NOT NULL,
    "lockedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "releasedAt" DATETIME,
    "releasedBy" TEXT,
    CONSTRAINT "EvidenceLock_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "WallLayout" (
    "username" TEXT NOT NULL PRIMARY KEY,
    "tiles" INTEGER NOT NULL DEFAULT 36,
    "groupByUnit" BOOLEAN NOT NULL DEFAULT true,
    "carouselSeconds" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Camera" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "subEncoding" TEXT NOT NULL DEFAULT 'H264',
    "recordMode" TEXT NOT NULL DEFAULT 'OFF',
    "ptz" BOOLEAN NOT NULL DEFAULT false,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "lastSeenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- a camera registered before profiles had their own encoding: its sub stream was reported like its main one
INSERT INTO "new_Camera" ("subEncoding", "counter", "createdAt", "encoding", "id", "lastSeenAt", "mainProfileToken", "mainStreamUri", "name", "onvifAddress", "passwordCipher", "pinned", "ptz", "snapshotUri", "status", "subProfileToken", "subStreamUri", "unitName", "username") SELECT "encoding", "counter", "createdAt", "encoding", "id", "lastSeenAt", "mainProfileToken", "mainStreamUri", "name", "onvifAddress", "passwordCipher", "pinned", "ptz", "snapshotUri", "status", "subProfileToken", "subStreamUri", "unitName", "username" FROM "Camera";
DROP TABLE "Camera";
ALTER TABLE "new_Camera" RENAME TO "Camera";
CREATE UNIQUE INDEX "Camera_onvifAddress_key" ON "Camera"("onvifAddress");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "RecordingSegment_file_key" ON "RecordingSegment"("file");

-- CreateIndex
CREATE INDEX "RecordingSegment_cameraId_startedAt_idx" ON "RecordingSegment"("cameraId", "startedAt");

-- CreateIndex
CREATE INDEX "RecordingSegment_startedAt_idx" ON "RecordingSegment"("startedAt");

-- CreateIndex
CREATE INDEX "EvidenceLock_cameraId_from_idx" ON "EvidenceLock"("cameraId", "from");

