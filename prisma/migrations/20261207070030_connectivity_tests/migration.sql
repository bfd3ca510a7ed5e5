-- CreateTable
CREATE TABLE "connectivity_test" (
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "resource" JSONB NOT NULL,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "update_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "connectivity_test_pkey" PRIMARY KEY ("project_id","name")
);

-- CreateTable
CREATE TABLE "network_management_operation" (
    "project_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "resource" JSONB NOT NULL,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "network_management_operation_pkey" PRIMARY KEY ("project_id","name")
);

-- CreateIndex
CREATE INDEX "network_management_operation_project_id_create_time_idx" ON "network_management_operation"("project_id", "create_time");

-- AddForeignKey
ALTER TABLE "connectivity_test" ADD CONSTRAINT "connectivity_test_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "network_management_operation" ADD CONSTRAINT "network_management_operation_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
