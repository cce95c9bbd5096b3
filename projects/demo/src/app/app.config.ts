import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, inject, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter, Router } from '@angular/router';
import { provideEffects } from '@ngrx/effects';
import { provideState, provideStore } from '@ngrx/store';
import { jwtInterceptor, provideJwt } from 'ngx-customapp-jwt';
import { provideAuthBeforeSocket } from 'ngx-customapp-pattern-auth-before-socket';
import { routes } from './app.routes';
import * as auditLogEffects from './audit/audit-log.effects';
import { auditLogFeature } from './audit/audit-log.feature';
import { authActions, isUser } from './auth/auth';
import { AuthApi } from './auth/auth-api';
import * as sessionEffects from './auth/session.effects';
import { SignOutNotice } from './auth/sign-out-notice';
import { type DemoConfig, DEMO_CONFIG } from './demo-config';
import { CategoriesEffects } from './menu/categories.effects';
import { categoriesFeature } from './menu/categories.feature';
import * as notificationsEffects from './notifications/notifications.effects';
import { notificationsFeature } from './notifications/notifications.feature';
import { createSocketChain } from './sockets/socket-chain';

/** The app's providers, for the server URLs read from `/config.json`. */
export function createAppConfig(config: DemoConfig): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideZonelessChangeDetection(),
      { provide: DEMO_CONFIG, useValue: config },
      provideHttpClient(withInterceptors([jwtInterceptor])),
      provideRouter(routes),
      provideStore(),
      provideState(categoriesFeature),
      provideState(notificationsFeature),
      provideState(auditLogFeature),
      provideEffects(CategoriesEffects, sessionEffects, notificationsEffects, auditLogEffects),
      provideJwt({
        api: AuthApi,
        actions: authActions,
        isUserInfo: isUser,
        loginUrl: '/login',
        onNoFreshJwt: () => {
          inject(SignOutNotice).show('Your session has expired. Please sign in again.');
          void inject(Router).navigateByUrl('/login');
        },
      }),
      provideAuthBeforeSocket(createSocketChain(config)),
    ],
  };
}
