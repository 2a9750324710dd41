-- AlterTable
ALTER TABLE "RoomSystem" ADD COLUMN     "allowPlainRtp" BOOLEAN NOT NULL DEFAULT false;

