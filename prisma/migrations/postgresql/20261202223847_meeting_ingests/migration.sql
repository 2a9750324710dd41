-- CreateEnum
CREATE TYPE "IngestKind" AS ENUM ('WHIP', 'RTMP', 'SRT', 'RTSP');

-- CreateTable
CREATE TABLE "MeetingIngest" (
    "id" TEXT NOT NULL,
    "meetingId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "IngestKind" NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "removedAt" TIMESTAMP(3),

    CONSTRAINT "MeetingIngest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MeetingIngest_meetingId_idx" ON "MeetingIngest"("meetingId");

-- AddForeignKey
ALTER TABLE "MeetingIngest" ADD CONSTRAINT "MeetingIngest_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MeetingIngest" ADD CONSTRAINT "MeetingIngest_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

