-- AlterTable
ALTER TABLE "User" ADD COLUMN "disabledReason" TEXT;

