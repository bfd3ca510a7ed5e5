-- CreateTable
CREATE TABLE "address" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "address_type" TEXT NOT NULL,
    "address" INET NOT NULL,
    "network_id" BIGINT,
    "subnetwork_id" BIGINT,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "address_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "security_policy" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "security_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "security_policy_rule" (
    "policy_id" BIGINT NOT NULL,
    "priority" INTEGER NOT NULL,
    "resource" JSONB NOT NULL,

    CONSTRAINT "security_policy_rule_pkey" PRIMARY KEY ("policy_id","priority")
);

-- CreateIndex
CREATE INDEX "address_subnetwork_id_idx" ON "address"("subnetwork_id");

-- CreateIndex
CREATE UNIQUE INDEX "address_project_id_region_name_key" ON "address"("project_id", "region", "name");

-- CreateIndex
CREATE UNIQUE INDEX "security_policy_project_id_name_key" ON "security_policy"("project_id", "name");

-- AddForeignKey
ALTER TABLE "address" ADD CONSTRAINT "address_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "address" ADD CONSTRAINT "address_subnetwork_id_fkey" FOREIGN KEY ("subnetwork_id") REFERENCES "subnetwork"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "security_policy" ADD CONSTRAINT "security_policy_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "security_policy_rule" ADD CONSTRAINT "security_policy_rule_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "security_policy"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written (Prisma cannot express partial unique indexes). Keep them when editing this file.

-- No IP address is handed out twice: an external address is unique across the emulator (Google's public
-- addresses are), an internal one within its network.
CREATE UNIQUE INDEX "address_external_unique" ON "address" ("address") WHERE "address_type" = 'EXTERNAL';
CREATE UNIQUE INDEX "address_internal_unique" ON "address" ("network_id", "address") WHERE "address_type" = 'INTERNAL';
