-- CreateTable
CREATE TABLE "cluster_dataplane" (
    "cluster_id" BIGINT NOT NULL,
    "generation" BIGINT NOT NULL DEFAULT 0,
    "observed_generation" BIGINT NOT NULL DEFAULT 0,
    "computed_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "kube_proxy_input" JSONB,
    "network_policy_input" JSONB,

    CONSTRAINT "cluster_dataplane_pkey" PRIMARY KEY ("cluster_id")
);

-- CreateTable
CREATE TABLE "node_dataplane" (
    "cluster_id" BIGINT NOT NULL,
    "node_name" TEXT NOT NULL,
    "generation" BIGINT NOT NULL,
    "input_hash" TEXT NOT NULL,
    "routes" JSONB NOT NULL,
    "firewall" JSONB NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "node_dataplane_pkey" PRIMARY KEY ("cluster_id","node_name")
);

-- AddForeignKey
ALTER TABLE "cluster_dataplane" ADD CONSTRAINT "cluster_dataplane_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node_dataplane" ADD CONSTRAINT "node_dataplane_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The triggers that record data-plane changes are in prisma/functions.sql (applied after the migrations: the
-- schema engine splits scripts on semicolons, which plpgsql bodies contain).
