-- CreateEnum
CREATE TYPE "Role" AS ENUM ('CHAIR', 'BRIDGE_POINT', 'SUPERVISOR', 'SECRETARIAT', 'ADMIN');

-- CreateEnum
CREATE TYPE "HostLevel" AS ENUM ('PROVINCIAL', 'GOVERNMENT');

-- CreateEnum
CREATE TYPE "MeetingStatus" AS ENUM ('SCHEDULED', 'LIVE', 'ENDED');

-- AlterEnum
ALTER TYPE "UnitLevel" ADD VALUE 'DISTRICT' BEFORE 'COMMUNE';

-- CreateTable
CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "bridgePointId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "tokenHash" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("tokenHash")
);

-- CreateTable
CREATE TABLE "Meeting" (
    "id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "hostLevel" "HostLevel" NOT NULL,
    "status" "MeetingStatus" NOT NULL DEFAULT 'SCHEDULED',
    "scheduledStart" TIMESTAMP(3) NOT NULL,
    "scheduledEnd" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "locked" BOOLEAN NOT NULL DEFAULT false,
    "chairId" INTEGER NOT NULL,
    "hostBridgePointId" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Meeting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MeetingInvitation" (
    "meetingId" TEXT NOT NULL,
    "bridgePointId" INTEGER NOT NULL,

    CONSTRAINT "MeetingInvitation_pkey" PRIMARY KEY ("meetingId","bridgePointId")
);

-- CreateTable
CREATE TABLE "AttendanceSession" (
    "id" SERIAL NOT NULL,
    "meetingId" TEXT NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL,
    "leftAt" TIMESTAMP(3),
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "reconnects" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AttendanceSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RollCall" (
    "id" SERIAL NOT NULL,
    "meetingId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "RollCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RollCallEntry" (
    "rollCallId" INTEGER NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "confirmedAt" TIMESTAMP(3) NOT NULL,
    "headCount" INTEGER NOT NULL,
    "reporterName" TEXT NOT NULL,

    CONSTRAINT "RollCallEntry_pkey" PRIMARY KEY ("rollCallId","bridgePointId")
);

-- CreateTable
CREATE TABLE "ChairAction" (
    "id" SERIAL NOT NULL,
    "meetingId" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "targetCode" TEXT,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChairAction_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "User" ADD CONSTRAINT "User_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_chairId_fkey" FOREIGN KEY ("chairId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Meeting" ADD CONSTRAINT "Meeting_hostBridgePointId_fkey" FOREIGN KEY ("hostBridgePointId") REFERENCES "BridgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingInvitation" ADD CONSTRAINT "MeetingInvitation_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingInvitation" ADD CONSTRAINT "MeetingInvitation_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttendanceSession" ADD CONSTRAINT "AttendanceSession_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AttendanceSession" ADD CONSTRAINT "AttendanceSession_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollCall" ADD CONSTRAINT "RollCall_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollCallEntry" ADD CONSTRAINT "RollCallEntry_rollCallId_fkey" FOREIGN KEY ("rollCallId") REFERENCES "RollCall"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RollCallEntry" ADD CONSTRAINT "RollCallEntry_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChairAction" ADD CONSTRAINT "ChairAction_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChairAction" ADD CONSTRAINT "ChairAction_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

