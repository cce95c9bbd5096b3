// The steps in which the app arms a reaction to the controller's own events, run from inside the
// controller's call when the event comes: `close()` once a state is reached, `open()` again once it
// stopped for good. They meet the controller half-way through its own work.
import { SocketState } from 'customapp-rxjs-websocket';
import { filter, take } from 'rxjs';
import { closeController, openController } from './controller-app-steps';
import { ControllerStep } from './controller-step';
import { World } from './controller-world';

/** The app calls `close()` from its `transitions$` listener, the next time the state becomes `state`. */
export class CloseWhenStep extends ControllerStep {
  protected readonly kind = 'close when';

  constructor(readonly state: SocketState) {
    super();
  }

  act(w: World): void {
    const armed = w.controller.transitions$
      .pipe(
        filter((t) => t.to === this.state),
        take(1),
      )
      .subscribe(() => {
        w.react(`close when ${this.state}`);
        w.guard(() => closeController(w));
      });
    w.armed.add(armed);
  }

  toString(): string {
    return `close() when ${this.state}`;
  }
}

/** The app calls `open()` from its `closedForever$` listener, the next time the controller stops. */
export class ReopenWhenStoppedStep extends ControllerStep {
  protected readonly kind = 'reopen when stopped';

  constructor(readonly interval: number) {
    super();
  }

  act(w: World): void {
    const armed = w.controller.closedForever$.pipe(take(1)).subscribe(() => {
      w.react('reopen when stopped');
      w.guard(() => openController(w, this.interval));
    });
    w.armed.add(armed);
  }

  toString(): string {
    return `open(every ${this.interval} ms) when stopped`;
  }
}
