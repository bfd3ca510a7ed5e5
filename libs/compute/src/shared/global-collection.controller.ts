import { Body, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { ComputeContext, ListQuery } from './compute-context';
import { Ctx, listEnvelope, ListParams, RequestId } from './compute-request';

/** What a global collection's service offers the four methods every collection has. */
export interface GlobalCollectionService {
  list(ctx: ComputeContext, query: ListQuery): Promise<{ items: unknown; nextPageToken?: string }>;
  insert(ctx: ComputeContext, body: unknown, requestId?: string): unknown;
  get(ctx: ComputeContext, name: string): unknown;
  delete(ctx: ComputeContext, name: string, requestId?: string): unknown;
}

/**
 * list, insert, get and delete of a global collection (`global/{collection}`, `:name` its item), for a controller
 * whose prefix is the collection's path; subclasses add the collection's other methods.
 */
export abstract class GlobalCollectionController {
  /** e.g. `compute#routeList` */
  protected abstract readonly listKind: string;
  /** e.g. `global/routes` */
  protected abstract readonly collection: string;
  protected abstract readonly service: GlobalCollectionService;

  @Get()
  async list(@Ctx() ctx: ComputeContext, @ListParams() query: ListQuery) {
    return listEnvelope(this.listKind, ctx, this.collection, await this.service.list(ctx, query));
  }

  @Post()
  @HttpCode(200)
  insert(@Ctx() ctx: ComputeContext, @Body() body: unknown, @RequestId() requestId?: string) {
    return this.service.insert(ctx, body, requestId);
  }

  @Get(':name')
  get(@Ctx() ctx: ComputeContext, @Param('name') name: string) {
    return this.service.get(ctx, name);
  }

  @Delete(':name')
  delete(@Ctx() ctx: ComputeContext, @Param('name') name: string, @RequestId() requestId?: string) {
    return this.service.delete(ctx, name, requestId);
  }
}

/** A global collection whose items also take PATCH (a merge of the body into the item). */
export interface PatchableCollectionService extends GlobalCollectionService {
  patch(ctx: ComputeContext, name: string, body: unknown, requestId?: string): unknown;
}

/** `GlobalCollectionController` with `patch`. */
export abstract class PatchableCollectionController extends GlobalCollectionController {
  protected abstract override readonly service: PatchableCollectionService;

  @Patch(':name')
  patch(
    @Ctx() ctx: ComputeContext,
    @Param('name') name: string,
    @Body() body: unknown,
    @RequestId() requestId?: string,
  ) {
    return this.service.patch(ctx, name, body, requestId);
  }
}
