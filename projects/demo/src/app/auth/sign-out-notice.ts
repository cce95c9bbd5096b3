import { Injectable, signal } from '@angular/core';

/** Why the user was signed out without asking (shown on the login page until the next sign-in). */
@Injectable({ providedIn: 'root' })
export class SignOutNotice {
  private readonly reason = signal<string | null>(null);
  readonly message = this.reason.asReadonly();

  show(message: string): void {
    this.reason.set(message);
  }

  clear(): void {
    this.reason.set(null);
  }
}
