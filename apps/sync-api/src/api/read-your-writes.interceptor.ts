import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ReadRouter } from '@app/data';
import { from, Observable, switchMap } from 'rxjs';
import type { AuthenticatedRequest } from './authenticated-request';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** After a successful write, before answering, remembers where the caller's write is in the WAL. */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly reads: ReadRouter) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (READ_METHODS.has(request.method)) return next.handle();
    return next.handle().pipe(switchMap((body: unknown) => from(this.reads.noteWrite(request.apiKeyId).then(() => body))));
  }
}
