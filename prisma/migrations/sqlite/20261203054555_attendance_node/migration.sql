-- AlterTable
ALTER TABLE "AttendanceSession" ADD COLUMN "nodeId" TEXT;

