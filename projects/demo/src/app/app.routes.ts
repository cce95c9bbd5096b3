import { inject } from '@angular/core';
import { Router, type Routes } from '@angular/router';
import { Store } from '@ngrx/store';
import { jwtGuard } from 'ngx-customapp-jwt';
import { authFeature } from './auth/auth';
import { LoginPage } from './auth/login-page';
import { Shell } from './shell/shell';

export const routes: Routes = [
  {
    path: 'login',
    title: 'Sign in · Menu board',
    // Someone already signed in goes straight to the menu.
    canActivate: [() => (inject(Store).selectSignal(authFeature.selectIsLoggedIn)() ? inject(Router).parseUrl('/') : true)],
    component: LoginPage,
  },
  { path: '', title: 'Menu board', canActivate: [jwtGuard], component: Shell, pathMatch: 'full' },
  { path: '**', redirectTo: '' },
];
