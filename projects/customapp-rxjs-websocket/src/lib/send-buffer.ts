import { BufferConfig } from './config';
import { BufferOverflowError } from './errors';
import { RequiredState } from './socket-state';

/** One message waiting for the socket to reach the state it needs. */
export interface BufferedMessage {
  readonly requires: RequiredState;
  /** The request waiting for an answer it carries, if any: what `remove` finds it by. */
  readonly request?: object;
  /** Writes the message to the socket (called once, when it leaves the buffer in order). */
  transmit(): void;
  /** Tells the sender the message will never be written. */
  fail(error: Error): void;
}

/** A bounded FIFO of messages; an overflow fails the dropped message's sender, never silently. */
export class SendBuffer {
  private queue: BufferedMessage[] = [];

  constructor(private readonly config: BufferConfig) {}

  get length(): number {
    return this.queue.length;
  }

  /** Queues a message; when full, drops the new or the oldest one per `overflow` and fails its sender. */
  push(message: BufferedMessage): void {
    if (this.queue.length < this.config.size) {
      this.queue.push(message);
      return;
    }
    const error = new BufferOverflowError(this.config.size, this.config.overflow);
    if (this.config.overflow === 'dropNew' || this.config.size === 0) {
      message.fail(error);
      return;
    }
    const dropped = this.queue.shift();
    this.queue.push(message);
    dropped?.fail(error);
  }

  /** Removes the message carrying `request`, which no longer wants to be sent (its sender unsubscribed). */
  remove(request: object): void {
    for (let index = 0; index < this.queue.length; index++) {
      if (this.queue[index].request !== request) continue;
      this.queue.splice(index, 1);
      return;
    }
  }

  /** Takes messages from the front while `canSend` allows the first one; order is never broken. */
  flush(canSend: (message: BufferedMessage) => boolean): void {
    while (this.queue.length > 0 && canSend(this.queue[0])) {
      const message = this.queue.shift() as BufferedMessage;
      message.transmit();
    }
  }

  /** Fails and forgets every waiting message. */
  failAll(error: Error): void {
    const dropped = this.queue;
    this.queue = [];
    for (const message of dropped) message.fail(error);
  }
}
