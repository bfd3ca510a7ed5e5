-- AlterTable (IF NOT EXISTS: databases that applied an earlier draft of the previous migration have them)
ALTER TABLE "cluster_dataplane" ADD COLUMN IF NOT EXISTS "kube_proxy_generation" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN IF NOT EXISTS "network_policy_generation" BIGINT NOT NULL DEFAULT 0;
