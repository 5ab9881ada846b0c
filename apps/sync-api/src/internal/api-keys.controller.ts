import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiKeysService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../api/api-surface.decorators';
import { ApiKeyDto, CreatedApiKeyDto } from './api-key-response.dto';
import { CreateApiKeyDto } from './api-key.dto';

@ApiTags('internal')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@Controller('internal/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** Creates an API key, with every permission, channel and facility unless restricted; the key is in this response only (it is stored hashed). */
  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: CreatedApiKeyDto, description: 'The key, shown once' })
  @ApiErrors(400, 401, 503)
  create(@Body() body: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.apiKeys.create(body);
  }

  /** The key's sales channel and restrictions (never the key itself). */
  @Get(':id')
  @ApiOkResponse({ type: ApiKeyDto, description: 'The key' })
  @ApiErrors(400, 401, 404, 503)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyDto> {
    return this.apiKeys.get(id);
  }

  /** Revokes an API key: every instance refuses it within a second (also with Redis down). Revoking a revoked key again is a 204 too. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiErrors(400, 401, 404, 503)
  revoke(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}
