-- AlterTable
ALTER TABLE "cluster_dataplane" DROP COLUMN "kube_proxy_input",
DROP COLUMN "network_policy_input",
ADD COLUMN     "last_computation" JSONB,
ADD COLUMN     "tombstones_purged_through" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "node_dataplane" ADD COLUMN     "kube_proxy_generation" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "network_policy_generation" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "vpc_generation" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "dataplane_change" (
    "cluster_id" BIGINT NOT NULL,
    "generation" BIGINT NOT NULL,
    "resource" TEXT NOT NULL,
    "namespace" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "dataplane_change_pkey" PRIMARY KEY ("cluster_id","generation","resource","namespace","name")
);

-- CreateTable
CREATE TABLE "dataplane_object" (
    "cluster_id" BIGINT NOT NULL,
    "resource" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "generation" BIGINT NOT NULL,
    "body" JSONB,

    CONSTRAINT "dataplane_object_pkey" PRIMARY KEY ("cluster_id","resource","namespace","name")
);

-- CreateIndex
CREATE INDEX "dataplane_object_cluster_id_generation_idx" ON "dataplane_object"("cluster_id", "generation");

-- AddForeignKey
ALTER TABLE "dataplane_change" ADD CONSTRAINT "dataplane_change_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataplane_object" ADD CONSTRAINT "dataplane_object_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Results computed before this migration have no copy of their inputs: compute every cluster afresh.
UPDATE "cluster_dataplane" SET "observed_generation" = 0;
