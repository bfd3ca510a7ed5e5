import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { GoogleApiError, GoogleErrors } from '../errors/google-api-error';
import { errorBodyFor, toGoogleError } from './google-error.response';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): void;
}

/** Names the unimplemented API method behind a URL no route matched, or null when it names none. */
export type UnimplementedMethodResolver = (method: string, url: string) => string | null;

/** The one filter that renders every error of the REST APIs in Google's wire format. */
@Catch()
export class GoogleErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('GoogleErrorFilter');

  constructor(private readonly unimplementedMethod: UnimplementedMethodResolver = () => null) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<{ url: string; method: string }>();
    const reply = http.getResponse<ReplyLike>();
    const error = this.toError(exception, request);
    if (error.httpStatus >= 500 && error.httpStatus !== 501) {
      this.logger.error(
        `${request.method} ${request.url}: ${exception instanceof Error ? exception.stack : String(exception)}`,
      );
    }
    reply
      .status(error.httpStatus)
      .header('content-type', 'application/json; charset=UTF-8')
      .send(errorBodyFor(request.url, error));
  }

  private toError(exception: unknown, request: { url: string; method: string }): GoogleApiError {
    if (exception instanceof GoogleApiError) return exception;
    if (exception instanceof HttpException) {
      // Nest answers unmatched routes with a NotFoundException: an API method we do not implement (yet).
      const method =
        exception.getStatus() === 404 ? this.unimplementedMethod(request.method, request.url) : null;
      if (method) return GoogleErrors.notImplemented(method);
      return toGoogleError({ statusCode: exception.getStatus(), message: exception.message });
    }
    return toGoogleError(exception);
  }
}
