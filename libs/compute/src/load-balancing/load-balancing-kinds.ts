import { Injectable } from '@nestjs/common';
import type { LoadBalancingKind } from './load-balancing-kind';
import { HEALTH_CHECKS } from './kinds/health-check.kind';

/** Every load-balancing kind the emulator implements, by URL collection. */
@Injectable()
export class LoadBalancingKinds {
  private readonly kinds = new Map<string, LoadBalancingKind>(
    [HEALTH_CHECKS].map((kind) => [kind.collection, kind]),
  );

  byCollection(collection: string): LoadBalancingKind | undefined {
    return this.kinds.get(collection);
  }
}
