import { Injectable } from '@angular/core';
import { Router } from '@angular/router';
import type { NoFreshJwtListener } from 'ngx-customapp-jwt';

/** When the session has no fresh token left: back to the login page. */
@Injectable({ providedIn: 'root' })
export class ToLoginPageService implements NoFreshJwtListener {
  constructor(private router: Router) {}

  noFreshJwt = (_message: string): void => {
    void this.router.navigate(['/login']);
  };
}
