import { Controller, Get, Header, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { APP_CONFIG, AppConfig, NotFoundError } from '@app/platform';
import { sameOriginPagePolicy } from '../api/content-security-policy';
import { DashboardAssets } from './dashboard-assets';
import { lastDays } from './dashboard-range';

/** No inline style either: the dashboard's styles are a file. */
const CONTENT_SECURITY_POLICY = sameOriginPagePolicy();

const DEFAULT_RANGE_DAYS = 30;

/** GET /reports: the HTML dashboard of the reports (its data comes from /reports/data). Not part of the JSON API's document. */
@ApiExcludeController()
@Controller('reports')
export class DashboardController {
  constructor(
    private readonly assets: DashboardAssets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  @Header('cache-control', 'no-store')
  page(): string {
    return this.assets.page(lastDays(DEFAULT_RANGE_DAYS, new Date(), this.config.schedules.warehouseTimeZone));
  }

  @Get('assets/:name')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'public, max-age=300')
  asset(@Param('name') name: string, @Res({ passthrough: true }) reply: FastifyReply): Buffer {
    const asset = this.assets.file(name);
    if (asset === undefined) throw new NotFoundError(`No dashboard asset named ${name}`);
    void reply.type(asset.contentType);
    return asset.body;
  }
}
