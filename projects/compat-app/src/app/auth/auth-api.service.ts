import { HttpClient, HttpContext, HttpHeaders } from '@angular/common/http';
import { Injectable } from '@angular/core';
import { disableJwtInterception, type JwtApi, type JwtGroup, type JwtInfo } from 'ngx-customapp-jwt';
import { map, type Observable } from 'rxjs';
import { settings } from '../settings';
import type { AuthResponse, Credentials } from './auth.models';
import { toJwtGroup } from './jwt-group';

/** Requests that carry their token themselves: the interceptor leaves them alone. */
const uninterceptedContext = () => new HttpContext().set(disableJwtInterception, true);

const bearer = (jwt: JwtInfo) => new HttpHeaders({ Authorization: `Bearer ${jwt.token}` });

/** The server's auth endpoints, as the session calls them. */
@Injectable({ providedIn: 'root' })
export class AuthApiService implements JwtApi<Credentials, AuthResponse, string> {
  constructor(private http: HttpClient) {}

  login = (credentials: Credentials): Observable<AuthResponse> =>
    this.http.post<AuthResponse>(`${settings.httpUrl}/api/auth/login`, credentials);

  loginAs = (masterAccessToken: JwtInfo, userId: string): Observable<AuthResponse> =>
    this.http.post<AuthResponse>(
      `${settings.httpUrl}/api/auth/login-as`,
      { userId },
      { headers: bearer(masterAccessToken), context: uninterceptedContext() },
    );

  refresh = (refreshToken: JwtInfo): Observable<JwtGroup<JwtInfo>> =>
    this.http
      .post<AuthResponse>(`${settings.httpUrl}/api/auth/refresh`, { refreshToken: refreshToken.token }, { context: uninterceptedContext() })
      .pipe(map(toJwtGroup));

  logout = (accessToken: JwtInfo, fromAllDevices?: boolean): Observable<void> =>
    this.http
      .post(
        `${settings.httpUrl}/api/auth/logout`,
        { fromAllDevices: !!fromAllDevices },
        { headers: bearer(accessToken), context: uninterceptedContext() },
      )
      .pipe(map(() => undefined));
}
