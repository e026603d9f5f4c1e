-- AlterTable
ALTER TABLE "device" ADD COLUMN "revoked_at" TIMESTAMPTZ(3),
ADD COLUMN "access_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "device_access_changed_at_idx" ON "device"("access_changed_at");
