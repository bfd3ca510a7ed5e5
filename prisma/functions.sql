-- SQL functions and triggers, applied by the migration runner after the migrations whenever this file changes
-- (its hash is kept in the `setting` row `emulator.sqlFunctions`). Idempotent: CREATE OR REPLACE, DROP ... IF EXISTS.
-- They live here, not in a migration, because Prisma's schema engine splits migration scripts on semicolons.

-- Every write that can change a cluster's data plane bumps its generation, records what changed and (re)queues its
-- computation, in the writing transaction itself: triggers make that true for every writer, whatever API it came
-- through. The job key coalesces repeated changes into one pending job per cluster (graphile-worker replaces the
-- pending job). The generation row is locked until the writer commits, so a cluster's generations commit in order.
CREATE OR REPLACE FUNCTION dataplane_touch(target bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  last_ms integer;
  next_generation bigint;
BEGIN
  -- Once per transaction and cluster: a Deployment writing a hundred pods is one generation, not a hundred.
  IF coalesce(current_setting('gke_emulator.dataplane_generation_' || target, true), '') <> '' THEN
    RETURN;
  END IF;
  -- A cluster being deleted (its rows cascading away) has nothing left to compute.
  IF NOT EXISTS (SELECT 1 FROM cluster WHERE id = target) THEN
    RETURN;
  END IF;
  INSERT INTO dataplane_generation (cluster_id, generation) VALUES (target, 1)
    ON CONFLICT (cluster_id) DO UPDATE SET generation = dataplane_generation.generation + 1
    RETURNING generation INTO next_generation;
  PERFORM set_config('gke_emulator.dataplane_generation_' || target, next_generation::text, true);
  SELECT compute_ms INTO last_ms FROM cluster_dataplane WHERE cluster_id = target;
  -- After a long computation (a full one, or a large change) the job waits as long as it took (at most 2 s), and
  -- further changes keep that time (preserve_run_at): a burst of writes shares one computation and is never
  -- starved by it. Short incremental computations run at once (a job due later waits for the worker's poll).
  IF to_regproc('graphile_worker.add_job') IS NOT NULL THEN
    PERFORM graphile_worker.add_job('compute_cluster_dataplane', json_build_object('clusterId', target::text),
                                    run_at := now() + make_interval(secs => CASE WHEN coalesce(last_ms, 0) < 100 THEN 0
                                                                      ELSE least(last_ms, 2000) / 1000.0 END),
                                    job_key := 'dataplane:' || target, job_key_mode := 'preserve_run_at',
                                    max_attempts := 8);
  END IF;
END $$;

-- What changed, at the transaction's generation: the worker recomputes from these rows, not from everything.
CREATE OR REPLACE FUNCTION dataplane_record(target bigint, kind text, object_namespace text, object_name text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  current_generation text;
BEGIN
  PERFORM dataplane_touch(target);
  current_generation := coalesce(current_setting('gke_emulator.dataplane_generation_' || target, true), '');
  IF current_generation = '' THEN
    RETURN;
  END IF;
  INSERT INTO dataplane_change (cluster_id, generation, resource, namespace, name)
    VALUES (target, current_generation::bigint, kind, coalesce(object_namespace, ''), coalesce(object_name, ''))
    ON CONFLICT DO NOTHING;
END $$;

CREATE OR REPLACE FUNCTION dataplane_touch_kube() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_resource text := coalesce(NEW.resource, OLD.resource);
BEGIN
  IF row_resource IN ('services', 'endpointslices', 'pods', 'networkpolicies', 'namespaces') THEN
    IF TG_OP = 'UPDATE' AND NEW.body = OLD.body THEN
      RETURN NULL;
    END IF;
    -- Objects cascading away with their cluster (whose generation this transaction may already hold) are no change.
    IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM cluster WHERE id = OLD.cluster_id) THEN
      RETURN NULL;
    END IF;
    PERFORM dataplane_record(coalesce(NEW.cluster_id, OLD.cluster_id), row_resource,
                             coalesce(NEW.namespace, OLD.namespace), coalesce(NEW.name, OLD.name));
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS kube_object_dataplane ON kube_object;
CREATE TRIGGER kube_object_dataplane AFTER INSERT OR UPDATE OR DELETE ON kube_object
  FOR EACH ROW EXECUTE FUNCTION dataplane_touch_kube();

-- A node's VM (its address, pod range, tags) is its own change. A VM coming or going is also a VPC change for the
-- other clusters on its network: static routes whose next hop is that instance turn active or inactive.
CREATE OR REPLACE FUNCTION dataplane_touch_node() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  own bigint := coalesce(NEW.cluster_id, OLD.cluster_id);
  other bigint;
BEGIN
  PERFORM dataplane_record(own, 'nodes', '', coalesce(NEW.name, OLD.name));
  IF TG_OP <> 'UPDATE' AND EXISTS (SELECT 1 FROM route r JOIN cluster c ON c.network_id = r.network_id
                                    WHERE c.id = own AND r.resource ? 'nextHopInstance') THEN
    FOR other IN SELECT o.id FROM cluster o JOIN cluster c ON c.network_id = o.network_id
                  WHERE c.id = own AND o.id <> own LOOP
      PERFORM dataplane_record(other, 'vpc', '', '');
    END LOOP;
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS node_dataplane_touch ON node;
CREATE TRIGGER node_dataplane_touch AFTER INSERT OR UPDATE OR DELETE ON node
  FOR EACH ROW EXECUTE FUNCTION dataplane_touch_node();

-- VPC writes touch every cluster on the network.
CREATE OR REPLACE FUNCTION dataplane_touch_network() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target bigint;
BEGIN
  FOR target IN SELECT id FROM cluster WHERE network_id = coalesce(NEW.network_id, OLD.network_id) LOOP
    PERFORM dataplane_record(target, 'vpc', '', '');
  END LOOP;
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS firewall_dataplane ON firewall;
CREATE TRIGGER firewall_dataplane AFTER INSERT OR UPDATE OR DELETE ON firewall
  FOR EACH ROW EXECUTE FUNCTION dataplane_touch_network();
DROP TRIGGER IF EXISTS route_dataplane ON route;
CREATE TRIGGER route_dataplane AFTER INSERT OR UPDATE OR DELETE ON route
  FOR EACH ROW EXECUTE FUNCTION dataplane_touch_network();
DROP TRIGGER IF EXISTS subnet_range_dataplane ON subnet_range;
CREATE TRIGGER subnet_range_dataplane AFTER INSERT OR UPDATE OR DELETE ON subnet_range
  FOR EACH ROW EXECUTE FUNCTION dataplane_touch_network();

-- A new cluster starts at generation 1, with its computation queued.
CREATE OR REPLACE FUNCTION dataplane_touch_cluster() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dataplane_record(NEW.id, 'vpc', '', '');
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS cluster_dataplane_touch ON cluster;
CREATE TRIGGER cluster_dataplane_touch AFTER INSERT ON cluster
  FOR EACH ROW EXECUTE FUNCTION dataplane_touch_cluster();

-- NetworkPolicy enforcement turned on or off (networkPolicy.enabled, the networkPolicyConfig addon, Dataplane V2):
-- the verdicts change on every node, so the worker recomputes them and notifies (recompute-plan.ts).
CREATE OR REPLACE FUNCTION dataplane_touch_cluster_policy() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dataplane_record(NEW.id, 'cluster', '', 'networkPolicyEnforcement');
  RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS cluster_policy_dataplane_touch ON cluster;
CREATE TRIGGER cluster_policy_dataplane_touch AFTER UPDATE ON cluster
  FOR EACH ROW WHEN (
    NEW.resource -> 'networkPolicy' IS DISTINCT FROM OLD.resource -> 'networkPolicy'
    OR NEW.resource #> '{addonsConfig,networkPolicyConfig}' IS DISTINCT FROM OLD.resource #> '{addonsConfig,networkPolicyConfig}'
    OR NEW.resource #> '{networkConfig,datapathProvider}' IS DISTINCT FROM OLD.resource #> '{networkConfig,datapathProvider}'
  )
  EXECUTE FUNCTION dataplane_touch_cluster_policy();
