import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardAdapter } from '@bull-board/fastify';
import { getQueueToken } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler, RouteOptions } from 'fastify';
import { QueueName } from '@app/jobs';
import { adminTokenMatcher, APP_CONFIG, AppConfig, declaredHooks } from '@app/platform';
import { requireAdminToken } from './admin-browser-access';
import { allowOperatorActions } from './queue-board-actions';

/** Under /internal, so the route placement keeps every path of the board (page, assets, JSON API) off the public port. */
export const QUEUE_BOARD_PATH = '/internal/queues/board';

/** A page that can act on the queues with credentials the browser sends by itself must not be framed by another site. */
function forbidFraming(_request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  void reply.header('x-frame-options', 'DENY').header('content-security-policy', "frame-ancestors 'none'");
  done();
}

/**
 * Bull Board (the UI operators of BullMQ know) over every queue of QueueName, at QUEUE_BOARD_PATH
 * on the internal port, each of its routes behind the admin token. Its routes are Fastify's, not
 * Nest's, so Nest's guards do not see them: the token is checked by a hook on each route, after the
 * hook that keeps the route on its port (a public request is a 404 whatever it presents).
 */
@Injectable()
export class QueueBoard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify === undefined) return;
    const board = new BullBoardAdapter().setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({
      queues: Object.values(QueueName).map((name) => new BullMQAdapter(this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }))),
      serverAdapter: board,
      options: { uiConfig: { boardTitle: 'OMS queues' }, handlerHooks: { before: allowOperatorActions } },
    });
    const guarded = [requireAdminToken(adminTokenMatcher(this.config.admin.token)), forbidFraming];
    // Queued, not awaited: awaiting would load Fastify's plugins now, building Nest's routes before
    // Nest sets its error handler, so that errors Fastify raises (bad JSON, ...) lost their body shape.
    void fastify.register(async (scope) => {
      scope.addHook('onRoute', (route: RouteOptions) => {
        route.onRequest = [...declaredHooks<onRequestHookHandler>(route.onRequest), ...guarded];
      });
      await scope.register(board.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
    });
  }
}
