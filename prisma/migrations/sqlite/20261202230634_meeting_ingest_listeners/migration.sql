-- AlterTable
ALTER TABLE "MeetingIngest" ADD COLUMN "port" INTEGER;
ALTER TABLE "MeetingIngest" ADD COLUMN "secretCipher" TEXT;

