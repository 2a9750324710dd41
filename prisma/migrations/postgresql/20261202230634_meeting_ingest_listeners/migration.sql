-- AlterTable
ALTER TABLE "MeetingIngest" ADD COLUMN     "port" INTEGER,
ADD COLUMN     "secretCipher" TEXT;

