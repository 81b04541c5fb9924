import { Controller, Get, Header, Headers, NotFoundException, Res, UnauthorizedException } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { Public } from '../auth/public.decorator';
import { AppConfig } from '../config/app-config';
import { MetricsService } from './metrics.service';

function sameSecret(given: string, expected: string): boolean {
  // Hashing first gives equal lengths, so the comparison time says nothing about the token.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Prometheus scrape endpoint. Public to the accounts guard: it checks METRICS_TOKEN itself, since Prometheus
 * holds that token, not a user's. Left out of the OpenAPI document (it is not part of the API); see docs/API.md.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<string> {
    const token = this.config.metricsToken;
    if (token === undefined && this.config.environment === 'production') {
      // Unprotected metrics would tell anyone about the traffic: without a token production has no /metrics.
      throw new NotFoundException('Cannot GET /metrics');
    }
    if (token !== undefined) {
      const given = /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];
      if (given === undefined || !sameSecret(given, token)) {
        response.setHeader('WWW-Authenticate', `Bearer realm="metrics"${given === undefined ? '' : ', error="invalid_token"'}`);
        throw new UnauthorizedException('GET /metrics needs the METRICS_TOKEN as a bearer token');
      }
    }
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
