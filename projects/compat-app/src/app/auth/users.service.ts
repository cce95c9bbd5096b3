import { HttpClient } from '@angular/common/http';
import { Injectable } from '@angular/core';
import type { Observable } from 'rxjs';
import { settings } from '../settings';
import type { UserInfo } from './auth.models';

/** The users an admin may act as; the request gets its token from the JwtInterceptor. */
@Injectable({ providedIn: 'root' })
export class UsersService {
  constructor(private http: HttpClient) {}

  list(): Observable<UserInfo[]> {
    return this.http.get<UserInfo[]>(`${settings.httpUrl}/api/users`);
  }
}
