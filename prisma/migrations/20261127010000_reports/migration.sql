-- CreateTable
CREATE TABLE "device_availability" (
    "id" TEXT NOT NULL,
    "device_id" TEXT NOT NULL,
    "online" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'availability',

    CONSTRAINT "device_availability_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "device_availability_device_id_at_idx" ON "device_availability"("device_id", "at");

-- AddForeignKey
ALTER TABLE "device_availability" ADD CONSTRAINT "device_availability_device_id_fkey" FOREIGN KEY ("device_id") REFERENCES "device"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- History starts here: each existing receiver's state as last known, so availability is measured from now on.
INSERT INTO "device_availability" ("id", "device_id", "online", "at", "source")
SELECT gen_random_uuid()::text, "id", "online", CURRENT_TIMESTAMP, 'migration' FROM "device";
