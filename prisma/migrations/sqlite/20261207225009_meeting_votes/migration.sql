-- CreateTable
CREATE TABLE "Vote" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "meetingId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL,
    "choices" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    CONSTRAINT "Vote_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VoteTally" (
    "voteId" INTEGER NOT NULL,
    "choice" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,

    PRIMARY KEY ("voteId", "choice"),
    CONSTRAINT "VoteTally_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "Vote" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VoteParticipant" (
    "voteId" INTEGER NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "answeredAt" DATETIME NOT NULL,

    PRIMARY KEY ("voteId", "bridgePointId"),
    CONSTRAINT "VoteParticipant_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "Vote" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "VoteParticipant_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VoteBallot" (
    "voteId" INTEGER NOT NULL,
    "bridgePointId" INTEGER NOT NULL,
    "counts" TEXT NOT NULL,

    PRIMARY KEY ("voteId", "bridgePointId"),
    CONSTRAINT "VoteBallot_voteId_fkey" FOREIGN KEY ("voteId") REFERENCES "Vote" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "VoteBallot_bridgePointId_fkey" FOREIGN KEY ("bridgePointId") REFERENCES "BridgePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Vote_meetingId_idx" ON "Vote"("meetingId");

-- CreateIndex
CREATE INDEX "VoteParticipant_bridgePointId_idx" ON "VoteParticipant"("bridgePointId");

-- CreateIndex
CREATE INDEX "VoteBallot_bridgePointId_idx" ON "VoteBallot"("bridgePointId");

