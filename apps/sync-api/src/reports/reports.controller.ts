import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PublicApi } from '../api/api-surface.decorators';
import { RequiresPermission } from '../api/required-permission';
import { ReportEndpoints } from './report-endpoints';

@ApiTags('reports')
@PublicApi()
@RequiresPermission('reports:read')
@Controller('api/v1/reports')
export class ReportsController extends ReportEndpoints {}
