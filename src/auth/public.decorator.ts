import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC_KEY = 'taskflow:public';

/** Marks a route (or a whole controller) that needs no credential, even in AUTH_MODE=required. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);
