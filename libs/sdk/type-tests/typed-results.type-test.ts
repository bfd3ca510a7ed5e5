// Compiled, never run (`tsc -p libs/sdk/type-tests`, from type-tests.spec.ts): what the SDK's reads return is
// exact, all the way down. `Loose<T>` is true when `any` or `unknown` hides anywhere in T (a field, an array's
// items, a record's values): a result that degrades to either fails to compile here.
import type * as Compute from '@google-cloud/compute';
import type * as Container from '@google-cloud/container';
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { expectTypeOf } from 'vitest';
import type { GkeEmulatorClient } from '../src/index';

type IsAny<T> = 0 extends 1 & T ? true : false;
type Scalar = string | number | boolean | bigint | null | undefined;

/** true when `any` or `unknown` appears anywhere in T (depth-limited: results are not recursive). */
export type Loose<T, Depth extends readonly 0[] = []> =
  IsAny<T> extends true
    ? true
    : unknown extends T
      ? true
      : Depth['length'] extends 10
        ? false
        : T extends Scalar
          ? false
          : T extends readonly (infer Item)[]
            ? Loose<Item, [...Depth, 0]>
            : T extends object
              ? { [K in keyof T]-?: Loose<T[K], [...Depth, 0]> }[keyof T] extends false
                ? false
                : true
              : false;

// The detector itself: it sees any and unknown where they hide, and passes exact types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the detector must see an `any`
expectTypeOf<Loose<{ a: { b: any } }>>().toEqualTypeOf<true>();
expectTypeOf<Loose<{ a: unknown[] }>>().toEqualTypeOf<true>();
expectTypeOf<Loose<Record<string, unknown>>>().toEqualTypeOf<true>();
expectTypeOf<Loose<{ a?: { b: string | unknown } }>>().toEqualTypeOf<true>();
expectTypeOf<
  Loose<{ a: string[]; b: Record<string, Record<string, boolean>>; c: 'x' | null }>
>().toEqualTypeOf<false>();

type Result<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export function exactResults(): void {
  type Client = GkeEmulatorClient;
  type Plane = Client['dataplane'];
  expectTypeOf<Loose<Result<Plane['status']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['routes']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['firewall']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['evaluateFirewall']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['networkPolicies']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['networkPolicyVerdict']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['iptables']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['trace']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Plane['reachability']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Client['waitForConvergence']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Client['settings']['get']>>>().toEqualTypeOf<false>();
  type Connectivity = Client['connectivity'];
  expectTypeOf<Loose<Result<Connectivity['trace']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Connectivity['tests']['create']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Connectivity['tests']['get']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Connectivity['tests']['list']>>>().toEqualTypeOf<false>();
  expectTypeOf<Loose<Result<Connectivity['tests']['rerun']>>>().toEqualTypeOf<false>();
  expectTypeOf<Result<Connectivity['tests']['delete']>>().toEqualTypeOf<string>();

  // Verdicts are unions a switch can exhaust, not strings.
  expectTypeOf<Result<Plane['trace']>['verdict']>().toEqualTypeOf<
    'DNAT' | 'ACCEPT' | 'DROP' | 'REJECT' | 'NONE'
  >();
  type Trace = Result<Connectivity['trace']>;
  expectTypeOf<Trace['result']>().toEqualTypeOf<
    'AMBIGUOUS' | 'REACHABLE' | 'RESULT_UNSPECIFIED' | 'UNDETERMINED' | 'UNREACHABLE'
  >();
  expectTypeOf<Trace['traces'][number]['steps'][number]['state']>().toExtend<string>();
  expectTypeOf<'DELIVER'>().toExtend<Trace['traces'][number]['steps'][number]['state']>();
  // @ts-expect-error a step's state is one of Google's values, not any string
  expectTypeOf<'ARRIVED'>().toExtend<Trace['traces'][number]['steps'][number]['state']>();
  expectTypeOf<Result<Plane['evaluateFirewall']>['action']>().toEqualTypeOf<'allow' | 'deny'>();
  expectTypeOf<Result<Plane['networkPolicyVerdict']>['ingress']['decision']>().toEqualTypeOf<
    'not-a-pod' | 'not-isolated' | 'allowed-by-rule' | 'local-node' | 'same-pod' | 'no-matching-rule'
  >();
}

export async function realClients(client: GkeEmulatorClient): Promise<void> {
  // The official clients, pre-aimed at the emulator, are the packages' own classes.
  expectTypeOf(client.compute.networks()).toEqualTypeOf<InstanceType<typeof Compute.NetworksClient>>();
  expectTypeOf(client.compute.client('FirewallsClient')).toEqualTypeOf<
    InstanceType<typeof Compute.FirewallsClient>
  >();
  expectTypeOf(client.container.clusterManager()).toEqualTypeOf<
    InstanceType<typeof Container.ClusterManagerClient>
  >();
  const kube = await client.kube('c1', { project: 'p' });
  expectTypeOf(kube.kubeConfig).toEqualTypeOf<KubeConfig>();
  expectTypeOf(kube.makeApiClient(null as unknown as typeof CoreV1Api)).toEqualTypeOf<CoreV1Api>();
}
