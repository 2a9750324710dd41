-- AlterEnum
ALTER TYPE "IngestKind" ADD VALUE 'SIP';

