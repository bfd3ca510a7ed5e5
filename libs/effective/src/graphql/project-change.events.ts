import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Subscriptions } from '../dataplane-channel';
import { ProjectVersionRepository } from './project-version.repository';
import type { ProjectChangeModel } from './project-change.model';

/** How often the projects someone follows are looked at. */
export const PROJECT_POLL_MS = 1000;

/**
 * `projectChanged` events: each project someone follows is read every second (one statement) and an event is sent
 * when its version moved. Polling rather than a NOTIFY from the writes: a notifying transaction takes PostgreSQL's
 * global notify lock until its commit is flushed, which would serialise every insert's commit for the sake of a page
 * that is seldom open. Writes within one second make one event.
 */
@Injectable()
export class ProjectChangeEvents implements OnModuleDestroy {
  private readonly logger = new Logger(ProjectChangeEvents.name);
  private readonly subscribers = new Subscriptions<ProjectChangeModel, string>();
  private readonly versions = new Map<string, string>();
  private timer?: ReturnType<typeof setInterval>;
  private polling = false;
  private closed = false;

  constructor(private readonly projects: ProjectVersionRepository) {}

  /** The changes of one project from now on (its version is read before this returns). */
  async subscribe(project: string): Promise<AsyncIterableIterator<ProjectChangeModel>> {
    if (this.closed) throw new Error('The emulator is shutting down.');
    if (!this.versions.has(project)) this.versions.set(project, await this.version(project));
    const queue = this.subscribers.add(project);
    this.timer ??= setInterval(() => void this.poll(), PROJECT_POLL_MS).unref();
    return queue;
  }

  /** Reads every followed project's version and sends an event to the followers of those that moved. */
  async poll(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      const followed = new Set(this.subscribers.filters());
      for (const project of [...this.versions.keys()])
        if (!followed.has(project)) this.versions.delete(project);
      if (followed.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
        return;
      }
      for (const project of followed) {
        const version = await this.version(project);
        if (this.versions.get(project) === version) continue;
        this.versions.set(project, version);
        for (const [queue, wanted] of this.subscribers.entries())
          if (wanted === project) queue.push({ project });
      }
    } catch (error) {
      this.logger.warn(`projectChanged: ${String(error)}`);
    } finally {
      this.polling = false;
    }
  }

  private version(project: string): Promise<string> {
    return this.projects.version(project);
  }

  onModuleDestroy(): void {
    this.closed = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.subscribers.endAll();
  }
}
