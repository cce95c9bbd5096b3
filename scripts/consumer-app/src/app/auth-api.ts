import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { JwtApi, skipJwt } from 'ngx-customapp-jwt';
import type { Observable } from 'rxjs';
import type { AuthResponse, Credentials } from './auth';

@Injectable()
export class AuthApi extends JwtApi<Credentials, AuthResponse, string> {
  private readonly http = inject(HttpClient);

  login(credentials: Credentials): Observable<AuthResponse> {
    return this.http.post<AuthResponse>('/api/auth/login', credentials, { context: skipJwt() });
  }

  refresh(refreshToken: string): Observable<AuthResponse> {
    return this.http.post<AuthResponse>('/api/auth/refresh', { refreshToken }, { context: skipJwt() });
  }

  logout(accessToken: string, fromAllDevices: boolean): Observable<unknown> {
    const headers = { Authorization: `Bearer ${accessToken}` };
    return this.http.post('/api/auth/logout', { fromAllDevices }, { headers, context: skipJwt() });
  }

  override loginAs(masterAccessToken: string, userId: string): Observable<AuthResponse> {
    const headers = { Authorization: `Bearer ${masterAccessToken}` };
    return this.http.post<AuthResponse>('/api/auth/login-as', { userId }, { headers, context: skipJwt() });
  }
}
