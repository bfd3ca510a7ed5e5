-- CreateTable
CREATE TABLE "load_balancing_resource" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "load_balancing_resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "resource_reference" (
    "id" BIGSERIAL NOT NULL,
    "referrer_id" BIGINT NOT NULL,
    "target_link" TEXT NOT NULL,
    "load_balancing_id" BIGINT,
    "address_id" BIGINT,
    "network_id" BIGINT,
    "subnetwork_id" BIGINT,
    "security_policy_id" BIGINT,

    CONSTRAINT "resource_reference_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "load_balancing_resource_project_id_kind_scope_name_key" ON "load_balancing_resource"("project_id", "kind", "scope", "name");

-- CreateIndex
CREATE INDEX "resource_reference_referrer_id_idx" ON "resource_reference"("referrer_id");

-- CreateIndex
CREATE INDEX "resource_reference_load_balancing_id_idx" ON "resource_reference"("load_balancing_id");

-- CreateIndex
CREATE INDEX "resource_reference_address_id_idx" ON "resource_reference"("address_id");

-- CreateIndex
CREATE INDEX "resource_reference_network_id_idx" ON "resource_reference"("network_id");

-- CreateIndex
CREATE INDEX "resource_reference_subnetwork_id_idx" ON "resource_reference"("subnetwork_id");

-- CreateIndex
CREATE INDEX "resource_reference_security_policy_id_idx" ON "resource_reference"("security_policy_id");

-- AddForeignKey
ALTER TABLE "load_balancing_resource" ADD CONSTRAINT "load_balancing_resource_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_referrer_id_fkey" FOREIGN KEY ("referrer_id") REFERENCES "load_balancing_resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_load_balancing_id_fkey" FOREIGN KEY ("load_balancing_id") REFERENCES "load_balancing_resource"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_address_id_fkey" FOREIGN KEY ("address_id") REFERENCES "address"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_subnetwork_id_fkey" FOREIGN KEY ("subnetwork_id") REFERENCES "subnetwork"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_security_policy_id_fkey" FOREIGN KEY ("security_policy_id") REFERENCES "security_policy"("id") ON DELETE NO ACTION ON UPDATE CASCADE;


-- Hand-written: a reference points at exactly one thing.
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_one_target" CHECK (
  num_nonnulls("load_balancing_id", "address_id", "network_id", "subnetwork_id", "security_policy_id") = 1
);
