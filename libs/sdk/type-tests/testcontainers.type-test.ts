// The testcontainers entry point: its options and what a started container hands a client.
import { expectTypeOf } from 'vitest';
import { GkeEmulatorClient, type GkeEmulatorClientOptions } from '../src/index';
import { GkeEmulatorContainer, type StartedGkeEmulatorContainer } from '../src/testcontainers/index';

export async function containerShapes(): Promise<void> {
  const container = new GkeEmulatorContainer('gke-emulator:0.1.0')
    .withOperationDelayMs(0)
    .withLogLevel('info');
  expectTypeOf(container).toEqualTypeOf<GkeEmulatorContainer>();
  // @ts-expect-error the log levels are silent, error, info and debug
  container.withLogLevel('verbose');
  // @ts-expect-error milliseconds, a number
  container.withOperationDelayMs('250');
  // @ts-expect-error the image is one "name:tag" string
  new GkeEmulatorContainer({ image: 'gke-emulator', tag: '0.1.0' });

  const started = await container.start();
  expectTypeOf(started).toEqualTypeOf<StartedGkeEmulatorContainer>();
  expectTypeOf(started.getClientOptions()).toMatchTypeOf<GkeEmulatorClientOptions>();
  expectTypeOf(started.getUrl()).toEqualTypeOf<string>();
  new GkeEmulatorClient(started.getClientOptions());
}
