import { BehaviorSubject, type Observable, Subject, type Subscription, filter } from 'rxjs';
import type { JwtLogger } from './jwt-logger';
import { NO_SESSIONS, parseSessions, serializeSessions, type JwtSession, type JwtSessions } from './jwt-session';
import type { JwtStorage } from './jwt-storage';
import type { JwtStorageChange } from './jwt-storage-events';
import { continuedSessions, followTab, type JwtTabChange } from './jwt-tab-change';

/**
 * Where `JwtService` keeps the sessions: in memory, written through to the storage on every change,
 * read back from it at start-up, and following what other tabs write to it (with `syncTabs`).
 * Storage that throws, or holds data that cannot be read, is logged and otherwise ignored.
 */
export class JwtSessionStore<UserInfo> {
  private readonly sessions$: BehaviorSubject<JwtSessions<UserInfo>>;
  private readonly tabChanges = new Subject<JwtTabChange<UserInfo>>();
  private readonly continued = new Subject<readonly (readonly [JwtSession<UserInfo | null>, JwtSession<UserInfo | null>])[]>();
  private readonly storageEvents: Subscription | null;

  /** Every change of the sessions, the current ones first. */
  readonly changes$: Observable<JwtSessions<UserInfo>>;

  /** What another tab changed, once followed (see `JwtService.otherTabChanges$`). */
  readonly tabChanges$: Observable<JwtTabChange<UserInfo>> = this.tabChanges.asObservable();
  /** The sessions that went on as other objects when another tab's write was followed, paired with those: before `changes$` says so. */
  readonly continued$ = this.continued.asObservable();

  constructor(
    private readonly options: {
      readonly storage: JwtStorage;
      readonly key: string;
      readonly isUserInfo: (value: unknown) => boolean;
      readonly logger: JwtLogger;
      /** The other tabs' writes to follow; `null` not to follow them. */
      readonly otherTabs: Observable<JwtStorageChange> | null;
    },
  ) {
    this.sessions$ = new BehaviorSubject<JwtSessions<UserInfo>>(this.restore());
    this.changes$ = this.sessions$.asObservable();
    this.storageEvents =
      options.otherTabs
        ?.pipe(filter(({ key }) => key === options.key || key === null))
        .subscribe(({ key, newValue }) => this.followOtherTab(key === null ? null : newValue)) ?? null;
  }

  get value(): JwtSessions<UserInfo> {
    return this.sessions$.value;
  }

  /** Makes `sessions` current and stores them (removes the key when nobody is logged in). */
  set(sessions: JwtSessions<UserInfo>): void {
    this.sessions$.next(sessions);
    const { storage, key, logger } = this.options;
    try {
      const raw = serializeSessions(sessions);
      if (raw === null) storage.removeItem(key);
      else storage.setItem(key, raw);
    } catch (error) {
      logger.warn('Could not write the session to storage: it will not survive a reload.', error);
    }
  }

  /** Follows what the storage holds now, as if another tab had just written it; true if that changed anything. */
  followStored(): boolean {
    let raw: string | null;
    try {
      raw = this.options.storage.getItem(this.options.key);
    } catch {
      return false;
    }
    const before = this.sessions$.value;
    this.followOtherTab(raw);
    return this.sessions$.value !== before;
  }

  destroy(): void {
    this.storageEvents?.unsubscribe();
    this.sessions$.complete();
    this.tabChanges.complete();
    this.continued.complete();
  }

  /**
   * Another tab stored `raw` (or removed the session, for `null`): adopt it as start-up would, data
   * that cannot be read counting as logged out. Nothing is written back: the storage holds it already,
   * and the unreadable data may be a newer version of the app in that tab, which must keep it.
   */
  private followOtherTab(raw: string | null): void {
    const { key, isUserInfo, logger } = this.options;
    let next: JwtSessions<UserInfo> = NO_SESSIONS;
    if (raw !== null) {
      const parsed = parseSessions<UserInfo>(raw, isUserInfo);
      if (parsed) next = parsed;
      else logger.warn(`Another tab stored unreadable or foreign data under the storage key "${key}": following it as a logout.`);
    }
    const { sessions, change } = followTab(this.sessions$.value, next);
    if (sessions) {
      const pairs = continuedSessions(this.sessions$.value, sessions, change);
      if (pairs.length > 0) this.continued.next(pairs);
      this.sessions$.next(sessions);
    }
    if (!change) return;
    logger.debug(`Followed another tab: ${change.kind}.`);
    this.tabChanges.next(change);
  }

  private restore(): JwtSessions<UserInfo> {
    const { storage, key, isUserInfo, logger } = this.options;
    let raw: string | null;
    try {
      raw = storage.getItem(key);
    } catch (error) {
      logger.warn('Could not read the session from storage.', error);
      return NO_SESSIONS;
    }
    if (raw === null) return NO_SESSIONS;
    const sessions = parseSessions<UserInfo>(raw, isUserInfo);
    if (sessions) return sessions;
    logger.warn(`Discarded unreadable or foreign data under the storage key "${key}".`);
    try {
      storage.removeItem(key);
    } catch {
      // Nothing more to do: the data is ignored either way.
    }
    return NO_SESSIONS;
  }
}
