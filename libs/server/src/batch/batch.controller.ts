import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import {
  boundaryOf,
  BatchFormatError,
  formatBatch,
  GoogleErrors,
  parseBatch,
  type BatchAnswer,
} from '@gke-emulator/common';
import type { FastifyInstance } from 'fastify';

interface ReplyLike {
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/** Google caps a batch at 1000 calls (https://cloud.google.com/compute/docs/api/how-tos/batch). */
const MAX_CALLS = 1000;

/**
 * The batch endpoint gcloud uses to delete several resources at once (`batchPath: batch/compute/v1`). Each part
 * is replayed in process through the same routes, so a batched call behaves exactly as a direct one.
 */
@Controller()
export class BatchController {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  @Post(['batch/compute/v1', 'batch'])
  @HttpCode(200)
  async batch(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Headers('host') host: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: ReplyLike,
  ): Promise<void> {
    const boundary = boundaryOf(contentType);
    if (!boundary || typeof body !== 'string') {
      throw GoogleErrors.invalid('A batch request must be multipart/mixed with a boundary.');
    }
    let parts;
    try {
      parts = parseBatch(body, boundary);
    } catch (error) {
      if (error instanceof BatchFormatError) throw GoogleErrors.invalid(error.message);
      throw error;
    }
    if (parts.length > MAX_CALLS)
      throw GoogleErrors.invalid(`A batch request may hold at most ${MAX_CALLS} calls.`);
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const answers: BatchAnswer[] = [];
    for (const part of parts) {
      const response = await fastify.inject({
        method: part.method as 'GET',
        url: part.path,
        // The batch passed the request gate: its parts carry its host and credentials.
        headers: {
          ...(authorization ? { authorization } : {}),
          ...part.headers,
          host: host ?? 'localhost',
        },
        payload: part.body,
      });
      answers.push({
        contentId: part.contentId,
        status: response.statusCode,
        statusText: STATUS_CODES[response.statusCode] ?? '',
        headers: {
          'Content-Type': String(response.headers['content-type'] ?? 'application/json; charset=UTF-8'),
        },
        body: response.body,
      });
    }
    const responseBoundary = `batch_${randomBytes(12).toString('hex')}`;
    reply
      .header('content-type', `multipart/mixed; boundary=${responseBoundary}`)
      .send(formatBatch(answers, responseBoundary));
  }
}
