-- Regional security policies (regions/{r}/securityPolicies) live beside the global ones, named per scope.
ALTER TABLE "security_policy" ADD COLUMN "scope" TEXT NOT NULL DEFAULT 'global';

DROP INDEX "security_policy_project_id_name_key";

CREATE UNIQUE INDEX "security_policy_project_id_scope_name_key" ON "security_policy"("project_id", "scope", "name");
