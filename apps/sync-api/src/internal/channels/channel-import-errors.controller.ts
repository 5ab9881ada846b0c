import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ShopifyOrdersService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../../api/api-surface.decorators';
import { ImportErrorListDto, ImportErrorsQueryDto } from './import-error.dto';

/** What a channel sent that did not become (or cancel) an order. */
@ApiTags('channels')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@ApiErrors(401, 503)
@Controller('internal/channels/:code/import-errors')
export class ChannelImportErrorsController {
  constructor(private readonly shopify: ShopifyOrdersService) {}

  @Get()
  @ApiOperation({
    summary: "The channel's import errors, newest first",
    description: 'Webhooks answered 200 whose payload could not be taken, with the reason.',
  })
  @ApiOkResponse({ type: ImportErrorListDto, description: 'The latest import errors' })
  @ApiErrors(400, 404)
  async list(@Param('code') code: string, @Query() query: ImportErrorsQueryDto): Promise<ImportErrorListDto> {
    return { items: await this.shopify.importErrorsOf(code, query.limit ?? 50) };
  }
}
