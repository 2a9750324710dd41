-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "controlState" TEXT;

