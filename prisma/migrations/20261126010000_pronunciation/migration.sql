-- CreateEnum
CREATE TYPE "PronunciationKind" AS ENUM ('word', 'pattern');

-- CreateTable
CREATE TABLE "pronunciation" (
    "id" TEXT NOT NULL,
    "match" TEXT NOT NULL,
    "spoken" TEXT NOT NULL,
    "kind" "PronunciationKind" NOT NULL DEFAULT 'word',
    "area_id" TEXT,
    "note" TEXT,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pronunciation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pronunciation_area_id_idx" ON "pronunciation"("area_id");

-- AddForeignKey
ALTER TABLE "pronunciation" ADD CONSTRAINT "pronunciation_area_id_fkey" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE CASCADE ON UPDATE CASCADE;
