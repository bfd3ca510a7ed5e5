-- AlterTable
ALTER TABLE "cluster_dataplane" ADD COLUMN     "kube_proxy_generation" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "network_policy_generation" BIGINT NOT NULL DEFAULT 0;
