-- CreateTable
CREATE TABLE "cluster" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "network_id" BIGINT NOT NULL,
    "subnetwork_id" BIGINT NOT NULL,
    "pod_range" INET NOT NULL,
    "services_range" INET NOT NULL,
    "routes_based" BOOLEAN NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node_pool" (
    "id" BIGINT NOT NULL,
    "cluster_id" BIGINT NOT NULL,
    "name" TEXT NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "node_pool_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "zone" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "cluster_id" BIGINT NOT NULL,
    "node_pool_id" BIGINT NOT NULL,
    "network_id" BIGINT NOT NULL,
    "subnetwork_id" BIGINT NOT NULL,
    "internal_ip" INET NOT NULL,
    "pod_cidr" INET NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "node_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "container_operation" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "insert_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_at" TIMESTAMPTZ(3) NOT NULL,
    "resource" JSONB NOT NULL,

    CONSTRAINT "container_operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kube_object" (
    "uid" UUID NOT NULL,
    "cluster_id" BIGINT NOT NULL,
    "resource" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "resource_version" BIGINT NOT NULL,
    "body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kube_object_pkey" PRIMARY KEY ("uid")
);

-- CreateTable
CREATE TABLE "kube_event" (
    "resource_version" BIGINT NOT NULL,
    "cluster_id" BIGINT NOT NULL,
    "resource" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "object" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kube_event_pkey" PRIMARY KEY ("resource_version")
);

-- CreateTable
CREATE TABLE "kube_allocation" (
    "cluster_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "owner_uid" UUID NOT NULL,

    CONSTRAINT "kube_allocation_pkey" PRIMARY KEY ("cluster_id","kind","value")
);

-- CreateIndex
CREATE INDEX "cluster_network_id_idx" ON "cluster"("network_id");

-- CreateIndex
CREATE UNIQUE INDEX "cluster_project_id_location_name_key" ON "cluster"("project_id", "location", "name");

-- CreateIndex
CREATE UNIQUE INDEX "node_pool_cluster_id_name_key" ON "node_pool"("cluster_id", "name");

-- CreateIndex
CREATE INDEX "node_cluster_id_idx" ON "node"("cluster_id");

-- CreateIndex
CREATE INDEX "node_node_pool_id_idx" ON "node"("node_pool_id");

-- CreateIndex
CREATE UNIQUE INDEX "node_project_id_zone_name_key" ON "node"("project_id", "zone", "name");

-- CreateIndex
CREATE UNIQUE INDEX "node_network_id_internal_ip_key" ON "node"("network_id", "internal_ip");

-- CreateIndex
CREATE INDEX "container_operation_project_id_location_idx" ON "container_operation"("project_id", "location");

-- CreateIndex
CREATE UNIQUE INDEX "container_operation_project_id_name_key" ON "container_operation"("project_id", "name");

-- CreateIndex
CREATE INDEX "kube_object_cluster_id_resource_resource_version_idx" ON "kube_object"("cluster_id", "resource", "resource_version");

-- CreateIndex
CREATE UNIQUE INDEX "kube_object_cluster_id_resource_namespace_name_key" ON "kube_object"("cluster_id", "resource", "namespace", "name");

-- CreateIndex
CREATE INDEX "kube_event_cluster_id_resource_resource_version_idx" ON "kube_event"("cluster_id", "resource", "resource_version");

-- CreateIndex
CREATE INDEX "kube_allocation_owner_uid_idx" ON "kube_allocation"("owner_uid");

-- AddForeignKey
ALTER TABLE "cluster" ADD CONSTRAINT "cluster_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster" ADD CONSTRAINT "cluster_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster" ADD CONSTRAINT "cluster_subnetwork_id_fkey" FOREIGN KEY ("subnetwork_id") REFERENCES "subnetwork"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node_pool" ADD CONSTRAINT "node_pool_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node" ADD CONSTRAINT "node_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node" ADD CONSTRAINT "node_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node" ADD CONSTRAINT "node_node_pool_id_fkey" FOREIGN KEY ("node_pool_id") REFERENCES "node_pool"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node" ADD CONSTRAINT "node_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node" ADD CONSTRAINT "node_subnetwork_id_fkey" FOREIGN KEY ("subnetwork_id") REFERENCES "subnetwork"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "container_operation" ADD CONSTRAINT "container_operation_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kube_object" ADD CONSTRAINT "kube_object_cluster_id_fkey" FOREIGN KEY ("cluster_id") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kube_allocation" ADD CONSTRAINT "kube_allocation_owner_uid_fkey" FOREIGN KEY ("owner_uid") REFERENCES "kube_object"("uid") ON DELETE CASCADE ON UPDATE CASCADE;


-- Hand-written (Prisma cannot express these). Keep them when editing this file.

-- The per-node pod ranges of one cluster never overlap, whatever concurrent node-pool writers do.
ALTER TABLE "node" ADD CONSTRAINT "node_pod_cidr_no_overlap"
    EXCLUDE USING gist ("cluster_id" WITH =, "pod_cidr" inet_ops WITH &&);

-- One sequence orders every Kubernetes write of the emulator: resourceVersion, list and watch positions.
CREATE SEQUENCE "kube_resource_version";
