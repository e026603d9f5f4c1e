-- Scheduling: a broadcast becomes a definition (one-off or recurring) with concrete occurrences;
-- deliveries belong to an occurrence. Existing broadcasts were one-offs: each gets one occurrence
-- with the broadcast's own id, so the command ids receivers already know stay valid.

-- CreateEnum
CREATE TYPE "OccurrenceState" AS ENUM ('planned', 'dispatched', 'cancelled', 'missed');

-- AlterEnum
ALTER TYPE "DeliveryState" ADD VALUE 'cancelled';

-- AlterTable
ALTER TABLE "area" ADD COLUMN "quiet_hours" JSONB;

-- AlterTable
ALTER TABLE "broadcast" ADD COLUMN "recurrence" JSONB,
ADD COLUMN "repeat" JSONB,
ADD COLUMN "slot_offset_ms" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "ttl_seconds" INTEGER,
ADD COLUMN "programme_key" TEXT,
ADD COLUMN "programme_hash" TEXT,
ADD COLUMN "planned_until" TIMESTAMPTZ(3),
ADD COLUMN "cancelled_at" TIMESTAMPTZ(3),
ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0,
ALTER COLUMN "start_at" DROP NOT NULL;

-- CreateTable
CREATE TABLE "occurrence" (
    "id" TEXT NOT NULL,
    "broadcast_id" TEXT NOT NULL,
    "slot_at" TIMESTAMPTZ(3) NOT NULL,
    "start_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "repeat_index" INTEGER NOT NULL DEFAULT 0,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "bulletin_id" TEXT,
    "state" "OccurrenceState" NOT NULL DEFAULT 'planned',
    "dispatched_at" TIMESTAMPTZ(3),
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "occurrence_pkey" PRIMARY KEY ("id")
);

-- Backfill occurrences and TTLs of the one-off broadcasts
INSERT INTO "occurrence" ("id", "broadcast_id", "slot_at", "start_at", "expires_at", "state", "dispatched_at")
SELECT "id", "id", "start_at", "start_at", "expires_at",
       (CASE WHEN "dispatched_at" IS NULL THEN 'planned' ELSE 'dispatched' END)::"OccurrenceState", "dispatched_at"
FROM "broadcast";
UPDATE "broadcast" SET "ttl_seconds" = GREATEST(0, CAST(EXTRACT(EPOCH FROM ("expires_at" - "start_at")) AS INTEGER));
ALTER TABLE "broadcast" ALTER COLUMN "ttl_seconds" SET NOT NULL;

-- AlterTable
ALTER TABLE "broadcast" DROP COLUMN "dispatched_at",
DROP COLUMN "expires_at";

-- AlterTable: deliveries are per occurrence
ALTER TABLE "delivery" ADD COLUMN "occurrence_id" TEXT;
UPDATE "delivery" SET "occurrence_id" = "broadcast_id";
ALTER TABLE "delivery" ALTER COLUMN "occurrence_id" SET NOT NULL;
ALTER TABLE "delivery" DROP CONSTRAINT "delivery_pkey",
ADD CONSTRAINT "delivery_pkey" PRIMARY KEY ("occurrence_id", "device_id");

-- DropIndex
DROP INDEX "broadcast_status_start_at_idx";

-- CreateIndex
CREATE INDEX "broadcast_status_idx" ON "broadcast"("status");

-- CreateIndex
CREATE UNIQUE INDEX "broadcast_programme_key_key" ON "broadcast"("programme_key");

-- CreateIndex
CREATE INDEX "occurrence_state_start_at_idx" ON "occurrence"("state", "start_at");

-- CreateIndex
CREATE UNIQUE INDEX "occurrence_broadcast_id_revision_start_at_key" ON "occurrence"("broadcast_id", "revision", "start_at");

-- CreateIndex
CREATE INDEX "delivery_broadcast_id_idx" ON "delivery"("broadcast_id");

-- AddForeignKey
ALTER TABLE "occurrence" ADD CONSTRAINT "occurrence_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delivery" ADD CONSTRAINT "delivery_occurrence_id_fkey" FOREIGN KEY ("occurrence_id") REFERENCES "occurrence"("id") ON DELETE CASCADE ON UPDATE CASCADE;
