import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners, provideZonelessChangeDetection } from '@angular/core';
import { provideRouter } from '@angular/router';
import { provideEffects } from '@ngrx/effects';
import { provideStore } from '@ngrx/store';
import { jwtGuard, jwtInterceptor, provideJwt } from 'ngx-customapp-jwt';
import { provideAuthBeforeSocket } from 'ngx-customapp-pattern-auth-before-socket';
import { authActions, isUser } from './auth';
import { AuthApi } from './auth-api';
import { provideOfflineBackend } from './offline';
import { socketsConfig } from './sockets';

/** The standalone setup: provideJwt() and provideAuthBeforeSocket(), or the offline backend. */
export function createAppConfig({ offline }: { offline: boolean }): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideZonelessChangeDetection(),
      provideHttpClient(withInterceptors([jwtInterceptor])),
      provideRouter([{ path: 'private', canActivate: [jwtGuard], children: [] }]),
      provideStore(),
      provideEffects(),
      ...(offline
        ? provideOfflineBackend()
        : [provideJwt({ api: AuthApi, actions: authActions, isUserInfo: isUser, loginUrl: '/' })]),
      provideAuthBeforeSocket(socketsConfig),
    ],
  };
}
