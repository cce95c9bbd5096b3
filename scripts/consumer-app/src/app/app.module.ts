import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { NgModule } from '@angular/core';
import { BrowserModule } from '@angular/platform-browser';
import { EffectsModule } from '@ngrx/effects';
import { StoreModule } from '@ngrx/store';
import { JwtModule, jwtInterceptor } from 'ngx-customapp-jwt';
import { PatternAuthBeforeSocketModule } from 'ngx-customapp-pattern-auth-before-socket';
import { authActions, isUser } from './auth';
import { AuthApi } from './auth-api';
import { roomsChain } from './rooms';

/**
 * The NgModule setup of the same packages (an app upgrading from 1.2.x keeps this form): forRoot of
 * both modules, here with a chain of one preset socket.
 */
@NgModule({
  imports: [
    BrowserModule,
    StoreModule.forRoot({}),
    EffectsModule.forRoot([]),
    JwtModule.forRoot({ api: AuthApi, actions: authActions, isUserInfo: isUser }),
    PatternAuthBeforeSocketModule.forRoot(roomsChain),
  ],
  providers: [provideHttpClient(withInterceptors([jwtInterceptor]))],
})
export class AppModule {}
