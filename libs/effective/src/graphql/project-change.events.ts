import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Database } from '@gke-emulator/db';
import { Subscriptions } from '../dataplane-channel';
import type { ProjectChangeModel } from './project-change.model';

/** The channel prisma/functions.sql NOTIFYs with a project's ID when a Compute or GKE write of it commits. */
export const PROJECT_CHANGED_CHANNEL = 'project_changed';

/**
 * Turns `project_changed` notifications into `projectChanged` events: one LISTEN connection, opened by the first
 * subscription (an API nobody follows opens none) and closed at shutdown.
 */
@Injectable()
export class ProjectChangeEvents implements OnModuleDestroy {
  private readonly logger = new Logger(ProjectChangeEvents.name);
  private readonly subscribers = new Subscriptions<ProjectChangeModel, string>();
  private listening?: Promise<() => Promise<void>>;
  private closed = false;

  constructor(private readonly db: Database) {}

  /** The changes of one project from now on; LISTENing before it returns. */
  async subscribe(project: string): Promise<AsyncIterableIterator<ProjectChangeModel>> {
    if (this.closed) throw new Error('The emulator is shutting down.');
    if (!this.listening) {
      this.listening = this.db.listen(PROJECT_CHANGED_CHANNEL, (payload) => this.publish(payload));
      // A failed LISTEN (database unreachable) is retried by the next subscription.
      this.listening.catch((error: unknown) => {
        this.logger.warn(`LISTEN ${PROJECT_CHANGED_CHANNEL}: ${String(error)}`);
        this.listening = undefined;
      });
    }
    await this.listening;
    return this.subscribers.add(project);
  }

  /** Sends a notification's project to its subscribers (what a NOTIFY on the channel does). */
  publish(project: string): void {
    if (this.closed) return;
    for (const [queue, wanted] of this.subscribers.entries()) if (wanted === project) queue.push({ project });
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    this.subscribers.endAll();
    const listening = this.listening;
    this.listening = undefined;
    if (listening) await (await listening.catch(() => undefined))?.();
  }
}
