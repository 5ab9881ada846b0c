import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '@app/platform';
import { EtlRunInProgressError } from '@app/warehouse';

/** The one error body, plus the active run's id, so that the caller can follow that run instead. */
@Catch(EtlRunInProgressError)
export class EtlRunConflictFilter implements ExceptionFilter {
  catch(error: EtlRunInProgressError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    void http
      .getResponse<FastifyReply>()
      .status(HttpStatus.CONFLICT)
      .send({ ...errorBody(HttpStatus.CONFLICT, error.message, request.id), id: error.activeRunId });
  }
}
