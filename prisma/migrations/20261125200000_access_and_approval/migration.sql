-- CreateEnum
CREATE TYPE "ApprovalState" AS ENUM ('pending', 'approved', 'rejected');

-- CreateEnum
CREATE TYPE "Distribution" AS ENUM ('direct', 'offered');

-- CreateEnum
CREATE TYPE "OfferState" AS ENUM ('offered', 'accepted', 'declined', 'scheduled', 'clash');

-- AlterTable
ALTER TABLE "api_token" ADD COLUMN "name" TEXT,
ADD COLUMN "last_used_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "area" ADD COLUMN "operators_may_send_emergency" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "bulletin" ADD COLUMN "approval_state" "ApprovalState" NOT NULL DEFAULT 'approved',
ADD COLUMN "area_id" TEXT;

-- AlterTable
ALTER TABLE "broadcast" ADD COLUMN "approval_state" "ApprovalState" NOT NULL DEFAULT 'approved',
ADD COLUMN "area_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
ADD COLUMN "origin_area_id" TEXT,
ADD COLUMN "distribution" "Distribution" NOT NULL DEFAULT 'direct',
ADD COLUMN "offer_id" TEXT;

-- Existing broadcasts: the areas they reach, from their target (areas and the areas of targeted receivers).
UPDATE "broadcast" SET "area_ids" = ARRAY(
    SELECT DISTINCT a FROM (
        SELECT jsonb_array_elements_text(COALESCE("target"->'areaIds', '[]'::jsonb)) AS a
        UNION
        SELECT d."area_id" FROM "device" d
        WHERE d."id" IN (SELECT jsonb_array_elements_text(COALESCE("target"->'deviceIds', '[]'::jsonb)))
    ) reached
);

-- CreateTable
CREATE TABLE "approval_event" (
    "id" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "from_state" "ApprovalState",
    "to_state" "ApprovalState" NOT NULL,
    "user_id" TEXT,
    "username" TEXT,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offer" (
    "id" TEXT NOT NULL,
    "broadcast_id" TEXT NOT NULL,
    "area_id" TEXT NOT NULL,
    "state" "OfferState" NOT NULL DEFAULT 'offered',
    "scheduled_broadcast_id" TEXT,
    "clash_broadcast_id" TEXT,
    "decided_by" TEXT,
    "decided_by_name" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "offer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "approval_event_entity_id_at_idx" ON "approval_event"("entity_id", "at");

-- CreateIndex
CREATE INDEX "broadcast_area_ids_idx" ON "broadcast" USING GIN ("area_ids");

-- CreateIndex
CREATE INDEX "offer_area_id_state_idx" ON "offer"("area_id", "state");

-- CreateIndex
CREATE UNIQUE INDEX "offer_broadcast_id_area_id_key" ON "offer"("broadcast_id", "area_id");

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "offer" ADD CONSTRAINT "offer_area_id_fkey" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
