import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { AppConfig, ENVIRONMENTS, Environment } from '../config/app-config';
import { HealthService } from './health.service';
import { Public } from '../auth/public.decorator';

export class HealthResponse {
  @ApiProperty({ enum: ['healthy', 'unhealthy'], example: 'healthy' })
  status!: 'healthy' | 'unhealthy';

  @ApiProperty({ description: '`connected`, or why the database did not answer.', example: 'connected' })
  database!: string;

  @ApiPropertyOptional({ description: 'Absent when the database did not answer.', example: 12 })
  tasks_count?: number;

  @ApiProperty({ enum: ENVIRONMENTS, example: 'production' })
  environment!: Environment;
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly healthService: HealthService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Health of the API and its database', description: 'Render checks this path.' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ description: 'The database does not answer.', type: HealthResponse })
  async check(): Promise<HealthResponse> {
    const database = await this.healthService.checkDatabase();
    const environment = this.config.environment;
    if (!database.connected) {
      throw new ServiceUnavailableException({ status: 'unhealthy', database: database.reason, environment });
    }
    return { status: 'healthy', database: 'connected', tasks_count: database.tasksCount, environment };
  }
}
