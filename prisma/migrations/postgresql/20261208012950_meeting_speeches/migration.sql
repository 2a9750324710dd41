-- CreateTable
CREATE TABLE "Speech" (
    "id" SERIAL NOT NULL,
    "meetingId" TEXT NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "delegateName" TEXT,
    "topic" TEXT,
    "agendaItemId" INTEGER,
    "limitSeconds" INTEGER NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "endedAt" TIMESTAMP(3),

    CONSTRAINT "Speech_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Speech_meetingId_startedAt_idx" ON "Speech"("meetingId", "startedAt");

-- CreateIndex
CREATE INDEX "Speech_bridgePointId_idx" ON "Speech"("bridgePointId");

-- CreateIndex
CREATE INDEX "Speech_agendaItemId_idx" ON "Speech"("agendaItemId");

-- AddForeignKey
ALTER TABLE "Speech" ADD CONSTRAINT "Speech_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Speech" ADD CONSTRAINT "Speech_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Speech" ADD CONSTRAINT "Speech_agendaItemId_fkey" FOREIGN KEY ("agendaItemId") REFERENCES "AgendaItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

