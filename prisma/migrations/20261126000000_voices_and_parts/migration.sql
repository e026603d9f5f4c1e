-- AlterEnum
ALTER TYPE "AudioSource" ADD VALUE 'parts';

-- AlterTable
ALTER TABLE "area" ADD COLUMN "default_voice" TEXT,
ADD COLUMN "default_speaking_rate" DOUBLE PRECISION,
ADD COLUMN "default_pitch" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "bulletin" ADD COLUMN "speaking_rate" DOUBLE PRECISION,
ADD COLUMN "pitch" DOUBLE PRECISION,
ADD COLUMN "transcript" TEXT,
ADD COLUMN "parts" JSONB;
