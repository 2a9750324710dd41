-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "callRoomSystemsAtStart" BOOLEAN NOT NULL DEFAULT false;

