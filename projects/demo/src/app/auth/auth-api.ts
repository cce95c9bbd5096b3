import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { JwtApi, skipJwt } from 'ngx-customapp-jwt';
import type { Observable } from 'rxjs';
import { DEMO_CONFIG } from '../demo-config';
import type { AuthResponse, Credentials } from './auth';

/** The e2e-server's HTTP auth API, as ngx-customapp-jwt needs it. */
@Injectable()
export class AuthApi extends JwtApi<Credentials, AuthResponse, string> {
  private readonly http = inject(HttpClient);
  private readonly url = inject(DEMO_CONFIG).httpUrl;

  login(credentials: Credentials): Observable<AuthResponse> {
    return this.http.post<AuthResponse>(`${this.url}/api/auth/login`, credentials, { context: skipJwt() });
  }

  refresh(refreshToken: string): Observable<AuthResponse> {
    return this.http.post<AuthResponse>(`${this.url}/api/auth/refresh`, { refreshToken }, { context: skipJwt() });
  }

  logout(accessToken: string, fromAllDevices: boolean): Observable<unknown> {
    return this.http.post(
      `${this.url}/api/auth/logout`,
      { fromAllDevices },
      { headers: { Authorization: `Bearer ${accessToken}` }, context: skipJwt() },
    );
  }

  override loginAs(masterAccessToken: string, userId: string): Observable<AuthResponse> {
    return this.http.post<AuthResponse>(
      `${this.url}/api/auth/login-as`,
      { userId },
      { headers: { Authorization: `Bearer ${masterAccessToken}` }, context: skipJwt() },
    );
  }
}
