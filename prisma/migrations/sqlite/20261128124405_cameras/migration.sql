-- CreateTable
CREATE TABLE "Camera" (
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
    "ptz" BOOLEAN NOT NULL DEFAULT false,
    "pinned" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'UNKNOWN',
    "lastSeenAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CameraEvent" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "cameraId" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "detail" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CameraEvent_cameraId_fkey" FOREIGN KEY ("cameraId") REFERENCES "Camera" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Camera_onvifAddress_key" ON "Camera"("onvifAddress");

-- CreateIndex
CREATE INDEX "CameraEvent_cameraId_at_idx" ON "CameraEvent"("cameraId", "at");

