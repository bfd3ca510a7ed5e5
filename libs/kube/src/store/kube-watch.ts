import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ClusterRecord } from '@gke-emulator/container';
import type { KubeObject } from '../api/kube-object';
import { KubeStatusError } from '../api/kube-status';
import type { ResponseShape } from '../api/media-types';
import type { ResourceKind } from '../api/resources';
import { renderTable } from '../api/tables';
import { valueOf, type WatchQueryOptions } from '../apiserver/kube-request';
import type { WatchEventType } from './admission';
import { KubeStore } from './kube-store';
import { NodeDirectory } from './node-directory';

/** A watch that has been checked and can stream: JSON lines of `{"type","object"}` until it times out or is closed. */
export interface WatchStream {
  run(emit: (line: string) => void, signal: AbortSignal): Promise<void>;
}

const POLL_MS = 100;
const DEFAULT_TIMEOUT_SECONDS = 1800;
/** How long watch history is kept; older resource versions answer 410 Expired. */
const HISTORY_MS = 15 * 60_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Watches read the event log (`kube_event`) by resource version, polling; every api process serves every watch. */
@Injectable()
export class KubeWatch implements OnModuleInit, OnModuleDestroy {
  private compaction?: NodeJS.Timeout;

  constructor(
    private readonly store: KubeStore,
    private readonly nodes: NodeDirectory,
  ) {}

  onModuleInit(): void {
    this.compaction = setInterval(
      () => void this.store.compactEvents(HISTORY_MS).catch(() => undefined),
      60_000,
    );
    this.compaction.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.compaction);
  }

  async open(
    cluster: ClusterRecord,
    kind: ResourceKind,
    namespace: string | undefined,
    filter: (object: KubeObject) => boolean,
    options: WatchQueryOptions,
    shape: ResponseShape,
    /** the version the watcher reads stored objects in (events.k8s.io/v1 Events), when not the stored one */
    convert?: (object: KubeObject) => KubeObject,
  ): Promise<WatchStream> {
    const requested = valueOf(options.resourceVersion);
    const timeoutMs = (valueOf(options.timeoutSeconds) ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
    const fromNow = requested === undefined || requested === '0';
    let initial: KubeObject[] = [];
    let cursor: bigint;
    if (fromNow) {
      const version = await this.store.listResourceVersion(this.store.reader, cluster, kind);
      initial = kind.stored
        ? (await this.store.list(this.store.reader, cluster, kind, { namespace, filter })).items
        : (await this.nodes.list(this.store.reader, cluster, version)).filter(filter);
      cursor = BigInt(version);
    } else {
      cursor = BigInt(requested);
    }
    const expired = !fromNow && cursor < (await this.store.compactedThrough());
    const rendered = this.renderer(shape, kind);
    const render =
      convert && shape === 'object' ? (object: KubeObject) => rendered(convert(object)) : rendered;
    return {
      run: async (emit, signal) => {
        const send = (type: WatchEventType | 'ERROR', object: unknown) =>
          emit(`${JSON.stringify({ type, object })}\n`);
        if (expired) {
          const status = new KubeStatusError(
            410,
            'Expired',
            `too old resource version: ${requested} (${await this.store.compactedThrough()})`,
          );
          send('ERROR', status.toStatus());
          return;
        }
        for (const object of initial) send('ADDED', render(object));
        const deadline = Date.now() + timeoutMs;
        while (!signal.aborted && Date.now() < deadline) {
          const events = await this.store.events(
            cluster,
            kind,
            cursor,
            kind.namespaced ? namespace : undefined,
          );
          for (const event of events) {
            cursor = event.resourceVersion;
            let object = event.object;
            if (!kind.stored) {
              const rendered = await this.nodes.list(
                this.store.reader,
                cluster,
                event.resourceVersion.toString(),
              );
              const node = rendered.find((n) => n.metadata.name === object.metadata.name);
              if (!node) continue;
              object = {
                ...node,
                metadata: { ...node.metadata, resourceVersion: event.resourceVersion.toString() },
              };
            }
            if (filter(object)) send(event.type, render(object));
          }
          if (events.length < 500) await pause(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), signal);
        }
      },
    };
  }

  private renderer(shape: ResponseShape, kind: ResourceKind): (object: KubeObject) => unknown {
    if (shape === 'table') {
      let first = true;
      return (object) => {
        const table = renderTable(
          kind.resource,
          [object],
          Date.now(),
          { resourceVersion: object.metadata.resourceVersion },
          first,
        );
        first = false;
        return table;
      };
    }
    if (shape === 'partialMetadata')
      return (object) => ({
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: object.metadata,
      });
    return (object) => object;
  }
}
