import { Controller, UseGuards } from '@nestjs/common';
import { ApiSecurity, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../api/api-surface.decorators';
import { ClientAddressRateLimitGuard } from './client-address-rate-limit.guard';
import { ReportEndpoints } from './report-endpoints';

/**
 * The reports as the dashboard reads them, without an API key: aggregated rows only (no customer
 * data), read-only, from the same cache entries as /api/v1/reports, rate-limited per client address.
 */
@ApiTags('dashboard')
// An explicit empty requirement: the dashboard page calls these without credentials.
@ApiSecurity({})
@UseGuards(ClientAddressRateLimitGuard)
@ApiErrors(429, 503)
@Controller('reports/data')
export class DashboardDataController extends ReportEndpoints {}
