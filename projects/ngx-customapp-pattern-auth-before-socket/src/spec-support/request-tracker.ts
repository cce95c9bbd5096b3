// Every request the app makes, and how it ended: its responses, completions and errors, when it was
// subscribed, when its frame went out (the recorder knows, by the id the controller stamped on it)
// and when it settled.
import { Observable } from 'rxjs';
import type { FrameRecorder } from './frame-recorder';

export interface TrackedRequest {
  readonly label: string;
  readonly path: string;
  readonly subscribedAt: number;
  /** The id the controller stamped on it, when it stamped one as the request was subscribed. */
  id?: number;
  responses: number;
  completions: number;
  errors: unknown[];
  settledAt?: number;
}

export class RequestTracker {
  readonly requests: TrackedRequest[] = [];
  /** The id stamped last (the chain's `setRequestId` reports every stamp). */
  private lastStamp: number | undefined;

  constructor(private readonly recorder: FrameRecorder) {}

  /** For the chain's `setRequestId`: stamps as the controller's default does, and remembers the id. */
  readonly setRequestId = <T extends { id?: number | null }>(request: T, id: number): T => {
    this.lastStamp = id;
    return { ...request, id };
  };

  /** The request `make()` creates, tracked from its subscription to its end. */
  track<T>(label: string, path: string, make: () => Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      const entry: TrackedRequest = { label, path, subscribedAt: performance.now(), responses: 0, completions: 0, errors: [] };
      this.requests.push(entry);
      this.lastStamp = undefined;
      const subscription = make().subscribe({
        next: (value) => {
          entry.responses += 1;
          entry.settledAt ??= performance.now();
          subscriber.next(value);
        },
        error: (error: unknown) => {
          entry.errors.push(error);
          entry.settledAt ??= performance.now();
          subscriber.error(error);
        },
        complete: () => {
          entry.completions += 1;
          subscriber.complete();
        },
      });
      // Stamped synchronously as it was subscribed, unless it was refused before that.
      if (this.lastStamp !== undefined) entry.id = this.lastStamp;
      return subscription;
    });
  }

  /** When its frame went out, if it did. */
  sentAt(request: TrackedRequest): number | undefined {
    return request.id === undefined ? undefined : this.recorder.sentTime(request.path, request.id);
  }

  pending(): TrackedRequest[] {
    return this.requests.filter((request) => request.settledAt === undefined);
  }
}
