-- AlterTable
ALTER TABLE "resource_reference" ADD COLUMN     "instance_group_id" BIGINT;

-- CreateTable
CREATE TABLE "instance_group" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "network_id" BIGINT NOT NULL,
    "cluster_id" BIGINT,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instance_group_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "instance_group_cluster_id_idx" ON "instance_group"("cluster_id");

-- CreateIndex
CREATE INDEX "instance_group_network_id_idx" ON "instance_group"("network_id");

-- CreateIndex
CREATE UNIQUE INDEX "instance_group_project_id_zone_name_key" ON "instance_group"("project_id", "zone", "name");

-- CreateIndex
CREATE INDEX "resource_reference_instance_group_id_idx" ON "resource_reference"("instance_group_id");

-- AddForeignKey
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_instance_group_id_fkey" FOREIGN KEY ("instance_group_id") REFERENCES "instance_group"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance_group" ADD CONSTRAINT "instance_group_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance_group" ADD CONSTRAINT "instance_group_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance_group" ADD CONSTRAINT "instance_group_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Exactly one target per reference, instance groups included.
ALTER TABLE "resource_reference" DROP CONSTRAINT "resource_reference_one_target";
ALTER TABLE "resource_reference" ADD CONSTRAINT "resource_reference_one_target" CHECK (
  num_nonnulls("load_balancing_id", "address_id", "network_id", "subnetwork_id", "security_policy_id", "instance_group_id") = 1
);
