-- AlterTable
ALTER TABLE "instance_group" ALTER COLUMN "network_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "instance_group_member" (
    "group_id" BIGINT NOT NULL,
    "node_id" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instance_group_member_pkey" PRIMARY KEY ("group_id","node_id")
);

-- CreateIndex
CREATE INDEX "instance_group_member_node_id_idx" ON "instance_group_member"("node_id");

-- AddForeignKey
ALTER TABLE "instance_group_member" ADD CONSTRAINT "instance_group_member_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "instance_group"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance_group_member" ADD CONSTRAINT "instance_group_member_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "node"("id") ON DELETE CASCADE ON UPDATE CASCADE;
