import { HTTP_INTERCEPTORS, HttpClientModule } from '@angular/common/http';
import { NgModule, provideZonelessChangeDetection } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { BrowserModule } from '@angular/platform-browser';
import { EffectsModule } from '@ngrx/effects';
import { StoreModule } from '@ngrx/store';
import { JwtInterceptor, JwtModule } from 'ngx-customapp-jwt';
import { PatternAuthBeforeSocketModule } from 'ngx-customapp-pattern-auth-before-socket';
import { AppRoutingModule } from './app-routing.module';
import { reducers } from './app-state';
import { AppComponent } from './app.component';
import { AuthApiService } from './auth/auth-api.service';
import type { AuthResponse } from './auth/auth.models';
import { toJwtGroup } from './auth/jwt-group';
import { LoginComponent } from './auth/login.component';
import { ToLoginPageService } from './auth/to-login-page.service';
import { CategoriesEffects } from './menu/categories.effects';
import { MenuComponent } from './menu/menu.component';
import { SessionEffects } from './session/session.effects';
import { settings } from './settings';
import { createSocketChain } from './sockets/socket-chain';

@NgModule({
  declarations: [AppComponent, LoginComponent, MenuComponent],
  imports: [
    BrowserModule,
    HttpClientModule,
    ReactiveFormsModule,
    AppRoutingModule,
    StoreModule.forRoot(reducers),
    EffectsModule.forRoot([CategoriesEffects, SessionEffects]),
    JwtModule.forRoot({
      authResponseToJwt: toJwtGroup,
      authResponseToUserInfo: (response: AuthResponse) => response.user,
      authHeader: { name: 'Authorization', createValue: (jwt) => `Bearer ${jwt.token}` },
      jwtApi: AuthApiService,
      noFreshJwt: {
        service: ToLoginPageService,
        callWhen: { interceptorNotFoundJwt: false, guardNotFoundJwt: true, loginAsJwtNotFound: true },
      },
    }),
    PatternAuthBeforeSocketModule.forRoot(createSocketChain(settings.wsUrl)),
  ],
  providers: [
    // No zone.js in this workspace: change detection runs on events, async pipes and the router.
    provideZonelessChangeDetection(),
    { provide: HTTP_INTERCEPTORS, useClass: JwtInterceptor, multi: true },
  ],
  bootstrap: [AppComponent],
})
export class AppModule {}
