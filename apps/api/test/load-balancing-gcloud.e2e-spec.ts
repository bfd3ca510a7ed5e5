import { describe, expect, it } from 'vitest';
import { expectGcloudFetchError, gcloudAvailable, useGcloudScenarios } from '@gke-emulator/testing';

/**
 * An HTTP load balancer built end to end with the real `gcloud` CLI: health check → backend service → URL map →
 * target HTTP proxy → global forwarding rule, then described, listed and torn down in reverse order (and refused
 * in the wrong order). Set GKE_EMULATOR_GCLOUD_TRANSCRIPTS=<dir> to keep every invocation's HTTP exchanges.
 */

type Json = Record<string, unknown>;
const TIMEOUT = 240_000;

describe.skipIf(!gcloudAvailable())('gcloud compute load balancing against the emulator', () => {
  const { scenario } = useGcloudScenarios('gcloud-lb');

  it(
    'creates an HTTP load balancer chain, describes and lists it, and deletes it in order',
    async () => {
      const { project, link, run, json } = scenario();
      const ok = async (line: string) => {
        const result = await run(line);
        expect(result.code, `${line}\n${result.stderr}`).toBe(0);
        return result;
      };

      await ok('compute health-checks create http web-hc --port=8080 --request-path=/healthz');
      await ok('compute backend-services create web-bs --global --protocol=HTTP --health-checks=web-hc');
      await ok('compute url-maps create web-map --default-service=web-bs');
      await ok('compute target-http-proxies create web-proxy --url-map=web-map');
      await ok('compute forwarding-rules create web-rule --global --target-http-proxy=web-proxy --ports=80');

      const backend = await json<Json>('compute backend-services describe web-bs --global');
      expect(backend).toMatchObject({
        kind: 'compute#backendService',
        name: 'web-bs',
        protocol: 'HTTP',
        loadBalancingScheme: 'EXTERNAL',
        portName: 'http',
        timeoutSec: 30,
        selfLink: link('global/backendServices/web-bs'),
      });
      expect(String((backend['healthChecks'] as string[])[0])).toMatch(/global\/healthChecks\/web-hc$/);

      const urlMap = await json<Json>('compute url-maps describe web-map');
      expect(urlMap).toMatchObject({ kind: 'compute#urlMap', name: 'web-map' });
      expect(String(urlMap['defaultService'])).toMatch(/global\/backendServices\/web-bs$/);

      const proxy = await json<Json>('compute target-http-proxies describe web-proxy');
      expect(String(proxy['urlMap'])).toMatch(/global\/urlMaps\/web-map$/);

      const rule = await json<Json>('compute forwarding-rules describe web-rule --global');
      expect(rule).toMatchObject({
        kind: 'compute#forwardingRule',
        name: 'web-rule',
        IPProtocol: 'TCP',
        portRange: '80-80',
        loadBalancingScheme: 'EXTERNAL',
        networkTier: 'PREMIUM',
        selfLink: link('global/forwardingRules/web-rule'),
      });
      expect(rule['IPAddress']).toMatch(/^198\.19\.\d+\.\d+$/);
      expect(String(rule['target'])).toMatch(/global\/targetHttpProxies\/web-proxy$/);

      const rules = await json<Json[]>('compute forwarding-rules list');
      expect(rules.map((r) => r['name'])).toEqual(['web-rule']);
      const services = await json<Json[]>('compute backend-services list');
      expect(services.map((s) => s['name'])).toEqual(['web-bs']);

      // In use: the proxy cannot go while the rule points at it; gcloud reports Google's refusal.
      const early = await run('compute target-http-proxies delete web-proxy');
      expect(early.code).not.toBe(0);
      expect(early.stderr).toContain(
        `The target_http_proxy resource 'projects/${project}/global/targetHttpProxies/web-proxy' is already being used by 'projects/${project}/global/forwardingRules/web-rule'`,
      );

      await ok('compute forwarding-rules delete web-rule --global');
      await ok('compute target-http-proxies delete web-proxy');
      await ok('compute url-maps delete web-map');
      await ok('compute backend-services delete web-bs --global');
      await ok('compute health-checks delete web-hc');
      expectGcloudFetchError(
        await run('compute forwarding-rules describe web-rule --global'),
        'compute.forwarding-rules.describe',
        `The resource 'projects/${project}/global/forwardingRules/web-rule' was not found`,
      );
    },
    TIMEOUT,
  );

  it(
    'builds a target-pool network load balancer on a reserved address, then updates labels and target',
    async () => {
      const { project, link, run, json } = scenario();
      const ok = async (line: string) => {
        const result = await run(line);
        expect(result.code, `${line}\n${result.stderr}`).toBe(0);
        return result;
      };
      const region = '--region=us-central1';

      await ok('compute http-health-checks create node --port=10256 --request-path=/healthz');
      await ok(`compute target-pools create pool ${region} --http-health-check=node`);
      await ok(`compute target-pools create pool2 ${region}`);
      await ok(
        `compute target-pools add-instances pool ${region} --instances=node-a --instances-zone=us-central1-a`,
      );
      await ok(`compute addresses create vip ${region}`);
      await ok(
        `compute forwarding-rules create nlb ${region} --address=vip --target-pool=pool --ports=80-90`,
      );

      const pool = await json<Json>(`compute target-pools describe pool ${region}`);
      expect(pool).toMatchObject({ kind: 'compute#targetPool', sessionAffinity: 'NONE' });
      expect(String((pool['instances'] as string[])[0])).toMatch(/zones\/us-central1-a\/instances\/node-a$/);
      expect(String((pool['healthChecks'] as string[])[0])).toMatch(/global\/httpHealthChecks\/node$/);

      const address = await json<Json>(`compute addresses describe vip ${region}`);
      expect(address).toMatchObject({
        status: 'IN_USE',
        users: [link('regions/us-central1/forwardingRules/nlb')],
      });
      const rule = await json<Json>(`compute forwarding-rules describe nlb ${region}`);
      expect(rule).toMatchObject({ IPAddress: address['address'], portRange: '80-90', IPProtocol: 'TCP' });

      await ok(`compute forwarding-rules update nlb ${region} --update-labels=env=dev`);
      await ok(`compute forwarding-rules set-target nlb ${region} --target-pool=pool2`);
      const updated = await json<Json>(`compute forwarding-rules describe nlb ${region}`);
      expect(updated['labels']).toEqual({ env: 'dev' });
      expect(String(updated['target'])).toMatch(/regions\/us-central1\/targetPools\/pool2$/);

      const inUse = await run(`compute addresses delete vip ${region}`);
      expect(inUse.code).not.toBe(0);
      expect(inUse.stderr).toContain(
        `The address resource 'projects/${project}/regions/us-central1/addresses/vip' is already being used by 'projects/${project}/regions/us-central1/forwardingRules/nlb'`,
      );
      await ok(`compute forwarding-rules delete nlb ${region}`);
      await ok(`compute addresses delete vip ${region}`);
      await ok(`compute target-pools delete pool pool2 ${region}`);
      await ok('compute http-health-checks delete node');
    },
    TIMEOUT,
  );
});
