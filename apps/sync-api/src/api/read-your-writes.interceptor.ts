import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ReadRouter } from '@app/data';
import { mergeMap, Observable } from 'rxjs';
import type { AuthenticatedRequest } from './authenticated-request';

/** On write handlers (see PublicApi): after a successful write, before answering, remembers where the caller's write is in the WAL. */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly reads: ReadRouter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const { apiKeyId } = context.switchToHttp().getRequest<AuthenticatedRequest>().apiKey;
    return next.handle().pipe(mergeMap(async (body: unknown) => (await this.reads.noteWrite(apiKeyId), body)));
  }
}
