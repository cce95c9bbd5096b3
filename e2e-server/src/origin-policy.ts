// The Origin allow-list for browsers. Clients that send no Origin (Node, native apps) are not browsers
// and are always allowed; the allow-list guards against other web pages using a signed-in browser.

const LOCALHOST_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export class OriginPolicy {
  private readonly allowed: Set<string>;

  /**
   * @param allowed exact origins (`http://localhost:4200`); `*` allows every origin
   * @param anyLocalhost allow every http://localhost:* and http://127.0.0.1:* origin (test mode)
   */
  constructor(
    allowed: readonly string[],
    private readonly anyLocalhost: boolean,
  ) {
    this.allowed = new Set(allowed.map(normalize));
  }

  /** Adds one origin (the server's own, once its port is known). */
  allow(origin: string): void {
    this.allowed.add(normalize(origin));
  }

  allows(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    const normalized = normalize(origin);
    return this.allowed.has('*') || this.allowed.has(normalized) || (this.anyLocalhost && LOCALHOST_ORIGIN.test(normalized));
  }
}

function normalize(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}
