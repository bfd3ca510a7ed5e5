-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "project" (
    "id" TEXT NOT NULL,
    "number" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "network" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "network_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subnetwork" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "network_id" BIGINT NOT NULL,
    "auto_created" BOOLEAN NOT NULL DEFAULT false,
    "fingerprint" TEXT NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subnetwork_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subnet_range" (
    "id" BIGSERIAL NOT NULL,
    "network_id" BIGINT NOT NULL,
    "subnetwork_id" BIGINT NOT NULL,
    "range_name" TEXT,
    "cidr" INET NOT NULL,

    CONSTRAINT "subnet_range_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "operation" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "client_operation_id" TEXT,
    "insert_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_at" TIMESTAMPTZ(3) NOT NULL,
    "resource" JSONB NOT NULL,

    CONSTRAINT "operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "project_number_key" ON "project"("number");

-- CreateIndex
CREATE UNIQUE INDEX "network_project_id_name_key" ON "network"("project_id", "name");

-- CreateIndex
CREATE INDEX "subnetwork_network_id_idx" ON "subnetwork"("network_id");

-- CreateIndex
CREATE UNIQUE INDEX "subnetwork_project_id_region_name_key" ON "subnetwork"("project_id", "region", "name");

-- CreateIndex
CREATE INDEX "subnet_range_network_id_idx" ON "subnet_range"("network_id");

-- CreateIndex
CREATE UNIQUE INDEX "subnet_range_subnetwork_id_range_name_key" ON "subnet_range"("subnetwork_id", "range_name");

-- CreateIndex
CREATE INDEX "operation_project_id_scope_idx" ON "operation"("project_id", "scope");

-- CreateIndex
CREATE UNIQUE INDEX "operation_project_id_name_key" ON "operation"("project_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "operation_project_id_client_operation_id_key" ON "operation"("project_id", "client_operation_id");

-- AddForeignKey
ALTER TABLE "network" ADD CONSTRAINT "network_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subnetwork" ADD CONSTRAINT "subnetwork_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subnetwork" ADD CONSTRAINT "subnetwork_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subnet_range" ADD CONSTRAINT "subnet_range_subnetwork_id_fkey" FOREIGN KEY ("subnetwork_id") REFERENCES "subnetwork"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "operation" ADD CONSTRAINT "operation_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written (Prisma cannot express these). Keep them when editing this file.

-- The ranges of one network never overlap, whatever concurrent writers do: Google's rule that every primary and
-- secondary range is "unique and non-overlapping within a network". btree_gist supplies `=` on bigint for GiST.
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE "subnet_range" ADD CONSTRAINT "subnet_range_no_overlap"
    EXCLUDE USING gist ("network_id" WITH =, "cidr" inet_ops WITH &&);
