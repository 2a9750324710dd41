-- CreateEnum
CREATE TYPE "MinutesStatus" AS ENUM ('DRAFT', 'FINAL');

-- CreateTable
CREATE TABLE "MinutesVersion" (
    "id" SERIAL NOT NULL,
    "meetingId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" "MinutesStatus" NOT NULL,
    "content" TEXT NOT NULL,
    "sha256" TEXT,
    "createdById" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finalizedById" INTEGER,
    "finalizedAt" TIMESTAMP(3),

    CONSTRAINT "MinutesVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MinutesVersion_createdById_idx" ON "MinutesVersion"("createdById");

-- CreateIndex
CREATE INDEX "MinutesVersion_finalizedById_idx" ON "MinutesVersion"("finalizedById");

-- CreateIndex
CREATE UNIQUE INDEX "MinutesVersion_meetingId_version_key" ON "MinutesVersion"("meetingId", "version");

-- AddForeignKey
ALTER TABLE "MinutesVersion" ADD CONSTRAINT "MinutesVersion_meetingId_fkey" FOREIGN KEY ("meetingId") REFERENCES "Meeting"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesVersion" ADD CONSTRAINT "MinutesVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MinutesVersion" ADD CONSTRAINT "MinutesVersion_finalizedById_fkey" FOREIGN KEY ("finalizedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

