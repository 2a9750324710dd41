-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "dialInCode" TEXT,
ADD COLUMN     "dialInPinCipher" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Meeting_dialInCode_key" ON "Meeting"("dialInCode");
