-- CreateTable
CREATE TABLE "User" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "bridgePointId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "User_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "tokenHash" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "title" TEXT NOT NULL,
    "hostLevel" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'SCHEDULED',
    "scheduledStart" DATETIME NOT NULL,
    "scheduledEnd" DATETIME NOT NULL,
    "startedAt" DATETIME,
    "endedAt" DATETIME,
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "chairId" INTEGER NOT NULL,
    "hostBridgePointId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Meeting_chairId_fkey" FOREIGN KEY ("chairId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Meeting_hostBridgePointId_fkey" FOREIGN KEY ("hostBridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MeetingInvitation" (
    "meetingId" TEXT NOT NULL,
    "bridgePointId" INTEGER NOT NULL,

    PRIMARY KEY ("meetingId", "bridgePointId"),
    CONSTRAINT "MeetingInvitation_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MeetingInvitation_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AttendanceSession" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "meetingId" TEXT NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "joinedAt" DATETIME NOT NULL,
    "leftAt" DATETIME,
    "lastSeenAt" DATETIME NOT NULL,
    "reconnects" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "AttendanceSession_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "AttendanceSession_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RollCall" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "meetingId" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "RollCall_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RollCallEntry" (
    "rollCallId" INTEGER NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "confirmedAt" DATETIME NOT NULL,
    "headCount" INTEGER NOT NULL,
    "reporterName" TEXT NOT NULL,

    PRIMARY KEY ("rollCallId", "bridgePointId"),
    CONSTRAINT "RollCallEntry_rollCallId_fkey" FOREIGN KEY ("rollCallId") REFERENCES "RollCall" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RollCallEntry_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ChairAction" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "meetingId" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "targetCode" TEXT,
    "detail" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ChairAction_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ChairAction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");

-- CreateIndex
CREATE INDEX "Meeting_scheduledStart_idx" ON "Meeting"("scheduledStart");

-- CreateIndex
CREATE INDEX "Meeting_status_idx" ON "Meeting"("status");

-- CreateIndex
CREATE INDEX "MeetingInvitation_bridgePointId_idx" ON "MeetingInvitation"("bridgePointId");

-- CreateIndex
CREATE INDEX "AttendanceSession_meetingId_bridgePointId_idx" ON "AttendanceSession"("meetingId", "bridgePointId");

-- CreateIndex
CREATE INDEX "AttendanceSession_leftAt_idx" ON "AttendanceSession"("leftAt");

-- CreateIndex
CREATE INDEX "RollCall_meetingId_idx" ON "RollCall"("meetingId");

-- CreateIndex
CREATE INDEX "RollCallEntry_bridgePointId_idx" ON "RollCallEntry"("bridgePointId");

-- CreateIndex
CREATE INDEX "ChairAction_meetingId_at_idx" ON "ChairAction"("meetingId", "at");

