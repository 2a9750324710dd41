-- AlterTable
ALTER TABLE "EvidenceLock" ADD COLUMN "releaseReason" TEXT;

