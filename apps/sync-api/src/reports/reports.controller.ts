import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PublicApi } from '../api/api-surface.decorators';
import { ReportEndpoints } from './report-endpoints';

@ApiTags('reports')
@PublicApi()
@Controller('api/v1/reports')
export class ReportsController extends ReportEndpoints {}
