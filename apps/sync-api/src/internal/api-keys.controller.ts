import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { ApiKeysService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ApiErrors } from '../api/api-surface.decorators';

export class CreateApiKeyDto {
  /** Who the key is for. @example "storefront" */
  @IsString()
  @Length(1, 200)
  name: string;
}

@ApiTags('internal')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('internal/api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  /** Creates an API key; the key is in this response only (it is stored hashed). */
  @Post()
  @HttpCode(201)
  @ApiErrors(400, 401)
  create(@Body() body: CreateApiKeyDto) {
    return this.apiKeys.create(body.name);
  }
}
