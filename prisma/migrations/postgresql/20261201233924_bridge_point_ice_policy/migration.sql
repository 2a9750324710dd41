-- CreateEnum
CREATE TYPE "IceTransportPolicy" AS ENUM ('ALL', 'RELAY');

-- AlterTable
ALTER TABLE "BridgePoint" ADD COLUMN     "iceTransportPolicy" "IceTransportPolicy" NOT NULL DEFAULT 'ALL';

