import type { CookieOptions, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { sessionEndsAt } from './session-lifetime';
import { Session } from './session.entity';

export const SESSION_COOKIE = 'taskflow_session';

/**
 * HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Path=/ (it also reaches the
 * API behind the web app's /api rewrite), Secure over https and always in production.
 */
function cookieOptions(request: Request, config: AppConfig): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', path: '/', secure: request.secure || config.environment === 'production' };
}

export function setSessionCookie(response: Response, request: Request, config: AppConfig, value: string, session: Session): void {
  const maxAge = Math.max(0, sessionEndsAt(session).getTime() - Date.now());
  response.cookie(SESSION_COOKIE, value, { ...cookieOptions(request, config), maxAge });
}

export function clearSessionCookie(response: Response, request: Request, config: AppConfig): void {
  response.clearCookie(SESSION_COOKIE, cookieOptions(request, config));
}

export function sessionCookieOf(request: Request): string | undefined {
  const value: unknown = (request.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
