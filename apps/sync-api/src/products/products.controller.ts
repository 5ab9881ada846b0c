import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CachedResponse } from '@app/cache';
import { ProductsService } from '@app/data';
import { ApiErrors, PublicApi } from '../api/api-surface.decorators';
import { RequiresPermission } from '../api/required-permission';
import { Caller } from '../api/authenticated-request';
import { cachedReads } from '../api/cached-reads';
import { CreateProductDto, ListProductsQueryDto, UpdateProductDto } from './product.dto';
import { ProductAvailabilityDto, ProductDto, ProductPageDto } from './product-response.dto';

@ApiTags('products')
@PublicApi()
@Controller('api/v1/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @RequiresPermission('catalog:write')
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a product' })
  @ApiCreatedResponse({ type: ProductDto, description: 'The product' })
  @ApiErrors(400, 409, 413)
  create(@Body() body: CreateProductDto): Promise<ProductDto> {
    return this.products.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List products, oldest first' })
  @ApiOkResponse({ type: ProductPageDto, description: 'A page of products' })
  @ApiErrors(400)
  list(@Query() query: ListProductsQueryDto, @Caller() caller: string): Promise<ProductPageDto> {
    return this.products.list(query, caller);
  }

  @Get(':id')
  @CachedResponse(cachedReads.product)
  @ApiOperation({ summary: 'Get a product' })
  @ApiOkResponse({ type: ProductDto, description: 'The product' })
  @ApiErrors(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ProductDto> {
    return this.products.get(id);
  }

  @RequiresPermission('catalog:write')
  @Patch(':id')
  @ApiOperation({ summary: 'Change the name or price of a product' })
  @ApiOkResponse({ type: ProductDto, description: 'The product after the change' })
  @ApiErrors(400, 404, 413)
  update(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateProductDto): Promise<ProductDto> {
    return this.products.update(id, body);
  }

  @Get(':id/availability')
  @CachedResponse(cachedReads.availability)
  @ApiOperation({ summary: 'Available to promise of a product, in total and per facility' })
  @ApiOkResponse({ type: ProductAvailabilityDto, description: 'Availability' })
  @ApiErrors(400, 404)
  availability(@Param('id', ParseUUIDPipe) id: string): Promise<ProductAvailabilityDto> {
    return this.products.availability(id);
  }
}
