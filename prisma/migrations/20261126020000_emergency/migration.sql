-- CreateEnum
CREATE TYPE "EmergencyState" AS ENUM ('active', 'stopped', 'superseded', 'expired');

-- AlterTable
ALTER TABLE "area" ADD COLUMN "emergency_volume" INTEGER,
ADD COLUMN "is_test_area" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "occurrence" ADD COLUMN "play_options" JSONB;

-- AlterTable
ALTER TABLE "delivery" ADD COLUMN "message_started_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "emergency" (
    "id" TEXT NOT NULL,
    "broadcast_id" TEXT NOT NULL,
    "hazard" TEXT,
    "signal" JSONB,
    "repeat_count" INTEGER NOT NULL,
    "gap_seconds" INTEGER NOT NULL,
    "validity_seconds" INTEGER NOT NULL,
    "cadence" JSONB,
    "state" "EmergencyState" NOT NULL DEFAULT 'active',
    "next_airing_at" TIMESTAMPTZ(3),
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "ended_by" TEXT,
    "end_reason" TEXT,
    "superseded_by_id" TEXT,
    "cap_alert_id" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "emergency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "emergency_signal" (
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "sound" TEXT NOT NULL,
    "blasts" INTEGER NOT NULL,
    "blast_ms" INTEGER NOT NULL,
    "gap_ms" INTEGER NOT NULL,
    "audio_sha256" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "emergency_signal_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "cap_alert" (
    "id" TEXT NOT NULL,
    "sender" TEXT,
    "identifier" TEXT,
    "sent" TIMESTAMPTZ(3),
    "status" TEXT,
    "msg_type" TEXT,
    "references" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "emergency_id" TEXT,
    "bulletin_id" TEXT,
    "area_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "details" JSONB NOT NULL DEFAULT '{}',
    "xml" TEXT NOT NULL,
    "received_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cap_alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "emergency_broadcast_id_key" ON "emergency"("broadcast_id");

-- CreateIndex
CREATE INDEX "emergency_state_idx" ON "emergency"("state");

-- CreateIndex
CREATE UNIQUE INDEX "cap_alert_sender_identifier_key" ON "cap_alert"("sender", "identifier");
