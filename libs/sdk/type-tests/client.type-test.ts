// Compiled, never run (`tsc -p libs/sdk/type-tests`, from type-tests.spec.ts): each `@ts-expect-error` is an argument
// shape the SDK must refuse at compile time, and tsc fails if one of them starts to compile.
import { expectTypeOf } from 'vitest';
import {
  GkeEmulatorClient,
  startEmulator,
  type DataplaneStatus,
  type GkeEmulatorClientOptions,
  type NodeIptables,
  type NodeRoutes,
  type RunningEmulator,
} from '../src/index';

export async function clientShapes(): Promise<void> {
  const client = new GkeEmulatorClient({ url: 'http://127.0.0.1:8085' });
  new GkeEmulatorClient();
  // @ts-expect-error the URL is a string
  new GkeEmulatorClient({ url: 8085 });
  // @ts-expect-error no such option (a typo of url)
  new GkeEmulatorClient({ uri: 'http://127.0.0.1:8085' });

  await client.reset();
  await client.reset({ project: 'p' });
  // @ts-expect-error one project, not a list
  await client.reset({ project: ['p'] });

  expectTypeOf(
    await client.waitForConvergence({ project: 'p', timeoutMs: 10_000 }),
  ).toEqualTypeOf<DataplaneStatus>();
  // @ts-expect-error a timeout is milliseconds, not a duration string
  await client.waitForConvergence({ timeoutMs: '10s' });

  const cluster = { project: 'p', location: 'us-central1-a', cluster: 'c1' };
  const node = { ...cluster, node: 'n1' };
  expectTypeOf(await client.dataplane.routes(node)).toEqualTypeOf<NodeRoutes>();
  expectTypeOf((await client.dataplane.routes(node)).observedGeneration).toEqualTypeOf<string>();
  expectTypeOf(await client.dataplane.iptables(node)).toEqualTypeOf<NodeIptables>();
  // @ts-expect-error the node is required for per-node reads
  await client.dataplane.routes(cluster);
  // @ts-expect-error the port is a number
  await client.dataplane.trace({ ...node, src: '10.4.0.2', dst: '10.8.0.10', dport: '80' });
  // @ts-expect-error protocols are Kubernetes' names
  await client.dataplane.trace({ ...node, src: '10.4.0.2', dst: '10.8.0.10', dport: 80, protocol: 'tcp' });
  // @ts-expect-error namespaces are a list
  await client.dataplane.reachability({ ...cluster, namespaces: 'default', port: 80 });

  await client.kube('c1', { project: 'p', location: 'us-central1-a' });
  // @ts-expect-error the cluster is named by its name
  await client.kube({ cluster: 'c1' });
  // @ts-expect-error GKE's word is location, for zones and regions alike
  await client.kube('c1', { zone: 'us-central1-a' });
}

export async function startEmulatorShapes(): Promise<void> {
  const emulator = await startEmulator({ port: 0, mode: 'child', timeoutMs: 60_000 });
  expectTypeOf(emulator).toEqualTypeOf<RunningEmulator>();
  expectTypeOf(emulator).toMatchTypeOf<GkeEmulatorClient>();
  await emulator.stop();
  // @ts-expect-error the modes are 'child' and 'in-process'
  await startEmulator({ mode: 'docker' });
  // @ts-expect-error the port is a number
  await startEmulator({ port: '8085' });
  // @ts-expect-error the CLI path is a string
  await startEmulator({ bin: true });
  // @ts-expect-error no such option
  await startEmulator({ image: 'gke-emulator:0.1.0' });
  expectTypeOf<GkeEmulatorClientOptions['url']>().toEqualTypeOf<string | undefined>();
}
