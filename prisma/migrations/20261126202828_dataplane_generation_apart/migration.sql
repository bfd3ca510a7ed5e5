-- AlterTable
ALTER TABLE "cluster_dataplane" ADD COLUMN     "compute_ms" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "dataplane_generation" (
    "cluster_id" BIGINT NOT NULL,
    "generation" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "dataplane_generation_pkey" PRIMARY KEY ("cluster_id")
);

-- AddForeignKey
ALTER TABLE "dataplane_generation" ADD CONSTRAINT "dataplane_generation_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;
