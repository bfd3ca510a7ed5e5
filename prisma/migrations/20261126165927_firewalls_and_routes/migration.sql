-- CreateTable
CREATE TABLE "firewall" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "network_id" BIGINT NOT NULL,
    "priority" INTEGER NOT NULL,
    "direction" TEXT NOT NULL,
    "disabled" BOOLEAN NOT NULL,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "firewall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "route" (
    "id" BIGINT NOT NULL,
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "network_id" BIGINT NOT NULL,
    "dest_range" INET NOT NULL,
    "priority" INTEGER NOT NULL,
    "system_generated" BOOLEAN NOT NULL DEFAULT false,
    "resource" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "route_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "firewall_network_id_priority_idx" ON "firewall"("network_id", "priority");

-- CreateIndex
CREATE UNIQUE INDEX "firewall_project_id_name_key" ON "firewall"("project_id", "name");

-- CreateIndex
CREATE INDEX "route_network_id_idx" ON "route"("network_id");

-- CreateIndex
CREATE UNIQUE INDEX "route_project_id_name_key" ON "route"("project_id", "name");

-- AddForeignKey
ALTER TABLE "firewall" ADD CONSTRAINT "firewall_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "firewall" ADD CONSTRAINT "firewall_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route" ADD CONSTRAINT "route_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "route" ADD CONSTRAINT "route_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE NO ACTION ON UPDATE CASCADE;
