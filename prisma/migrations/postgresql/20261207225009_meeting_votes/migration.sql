-- CreateTable
CREATE TABLE "Vote" (
    "id" SERIAL NOT NULL,
    "meetingId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL,
    "choices" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3) NOT NULL,
    "closedAt" TIMESTAMP(3),

    CONSTRAINT "Vote_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoteTally" (
    "voteId" INTEGER NOT NULL,
    "choice" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "VoteTally_pkey" PRIMARY KEY ("voteId","choice")
);

-- CreateTable
CREATE TABLE "VoteParticipant" (
    "voteId" INTEGER NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "answeredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VoteParticipant_pkey" PRIMARY KEY ("voteId","bridgePointId")
);

-- CreateTable
CREATE TABLE "VoteBallot" (
    "voteId" INTEGER NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "counts" TEXT NOT NULL,

    CONSTRAINT "VoteBallot_pkey" PRIMARY KEY ("voteId","bridgePointId")
);

-- CreateIndex
CREATE INDEX "Vote_meetingId_idx" ON "Vote"("meetingId");

-- CreateIndex
CREATE INDEX "VoteParticipant_bridgePointId_idx" ON "VoteParticipant"("bridgePointId");

-- CreateIndex
CREATE INDEX "VoteBallot_bridgePointId_idx" ON "VoteBallot"("bridgePointId");

-- AddForeignKey
ALTER TABLE "Vote" ADD CONSTRAINT "Vote_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoteTally" ADD CONSTRAINT "VoteTally_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "Vote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoteParticipant" ADD CONSTRAINT "VoteParticipant_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "Vote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoteParticipant" ADD CONSTRAINT "VoteParticipant_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoteBallot" ADD CONSTRAINT "VoteBallot_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "Vote"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VoteBallot" ADD CONSTRAINT "VoteBallot_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

