// A JwtApi over HttpClient for the bundled e2e-server's HTTP auth API: the unit specs run it against
// HttpTestingController, the integration spec against the real server.
import { HttpClient } from '@angular/common/http';
import { Injectable, InjectionToken, inject } from '@angular/core';
import { JwtApi, skipJwt } from '../public-api';
import type { FakeJwtAuthResponse, FakeJwtCredentials } from 'ngx-customapp-jwt/testing';

/** Where the server is: `''` for HttpTestingController, the e2e-server's `httpUrl` for real. */
export const API_URL = new InjectionToken<string>('spec API url', { providedIn: 'root', factory: () => '' });

@Injectable()
export class HttpJwtApi extends JwtApi<FakeJwtCredentials, FakeJwtAuthResponse, string> {
  private readonly http = inject(HttpClient);
  protected readonly url = inject(API_URL);

  login(credentials: FakeJwtCredentials) {
    return this.http.post<FakeJwtAuthResponse>(`${this.url}/api/auth/login`, credentials, { context: skipJwt() });
  }

  refresh(refreshToken: string) {
    return this.http.post<FakeJwtAuthResponse>(`${this.url}/api/auth/refresh`, { refreshToken }, { context: skipJwt() });
  }

  logout(accessToken: string, fromAllDevices: boolean) {
    return this.http.post(
      `${this.url}/api/auth/logout`,
      { fromAllDevices },
      { headers: { Authorization: `Bearer ${accessToken}` }, context: skipJwt() },
    );
  }

  override loginAs(masterAccessToken: string, userId: string) {
    return this.http.post<FakeJwtAuthResponse>(
      `${this.url}/api/auth/login-as`,
      { userId },
      { headers: { Authorization: `Bearer ${masterAccessToken}` }, context: skipJwt() },
    );
  }
}
