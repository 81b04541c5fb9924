import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { APP_VERSION } from './config/app-version';
import { Public } from './auth/public.decorator';

export class WelcomeResponse {
  @ApiProperty({ example: 'Welcome to TaskFlow API' })
  message!: string;

  @ApiProperty({ description: 'The version in package.json.', example: APP_VERSION })
  version!: string;

  @ApiProperty({ example: '/docs' })
  docs!: string;
}

@ApiTags('meta')
@Controller()
@Public()
export class AppController {
  @Get()
  @ApiOperation({ summary: 'Welcome message, API version and where the docs are' })
  @ApiOkResponse({ type: WelcomeResponse })
  welcome(): WelcomeResponse {
    return { message: 'Welcome to TaskFlow API', version: APP_VERSION, docs: '/docs' };
  }
}
