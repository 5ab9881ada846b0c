import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApprovalRulesService } from '@app/data';
import { AdminTokenGuard } from '@app/platform';
import { ADMIN_TOKEN_AUTH, ApiErrors } from '../api/api-surface.decorators';
import { ApprovalRulesDto } from './approval-rules.dto';

/** The approval rules that hold new orders. A change applies to every order created after its response, on every instance. */
@ApiTags('approval')
@ApiBearerAuth(ADMIN_TOKEN_AUTH)
@UseGuards(AdminTokenGuard)
@ApiErrors(401, 503)
@Controller('internal/approval-rules')
export class ApprovalRulesController {
  constructor(private readonly approval: ApprovalRulesService) {}

  @Put()
  @ApiOperation({
    summary: 'Replace every approval rule',
    description: "A new order matching a rule (every condition of its `when`) is HELD with the first such rule's reason; others are APPROVED.",
  })
  @ApiOkResponse({ type: ApprovalRulesDto, description: 'The rules, as stored' })
  @ApiErrors(400, 413)
  async replace(@Body() body: ApprovalRulesDto): Promise<ApprovalRulesDto> {
    return { rules: await this.approval.replace(body) };
  }

  @Get()
  @ApiOperation({ summary: 'The approval rules, in sequence' })
  @ApiOkResponse({ type: ApprovalRulesDto, description: 'The rules' })
  async list(): Promise<ApprovalRulesDto> {
    return { rules: await this.approval.current() };
  }
}
