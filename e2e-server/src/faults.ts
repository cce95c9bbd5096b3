// The injected faults of test mode. Outside test mode nothing ever changes them, so they stay off.

export class Faults {
  /** Upgrades are refused with 503 until this time (ms since the epoch). */
  private refuseUntil = 0;
  /** Every response and push is delayed by this many ms; 0 is off. */
  delayMs = 0;
  private failNextAuth = false;

  constructor(private readonly now: () => number = Date.now) {}

  refuseUpgradesFor(ms: number): void {
    this.refuseUntil = this.now() + ms;
  }

  get refusingUpgrades(): boolean {
    return this.now() < this.refuseUntil;
  }

  armFailNextAuth(): void {
    this.failNextAuth = true;
  }

  /** Whether the next auth will be refused: armed and not taken yet. */
  get failNextAuthArmed(): boolean {
    return this.failNextAuth;
  }

  /** True once after armFailNextAuth(): the auth asking is the one to fail. */
  takeFailNextAuth(): boolean {
    const armed = this.failNextAuth;
    this.failNextAuth = false;
    return armed;
  }

  reset(): void {
    this.refuseUntil = 0;
    this.delayMs = 0;
    this.failNextAuth = false;
  }
}
