import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ProductsService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { Caller } from '../api/authenticated-request';
import { CreateProductDto, ListProductsQueryDto, UpdateProductDto } from './product.dto';

@ApiTags('products')
@PublicApi()
@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Post()
  @HttpCode(201)
  @ApiErrors(400, 409, 413)
  create(@Body() body: CreateProductDto) {
    return this.products.create(body);
  }

  @Get()
  @ApiErrors(400)
  list(@Query() query: ListProductsQueryDto, @Caller() caller: string) {
    return this.products.list(query, caller);
  }

  @Get(':id')
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.products.get(id);
  }

  @Patch(':id')
  @ApiErrors(400, 404, 413)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProductDto) {
    return this.products.update(id, body);
  }

  @Get(':id/availability')
  @ApiErrors(400, 404)
  availability(@Param('id', ParseUUIDPipe) id: string) {
    return this.products.availability(id);
  }
}
