import { Deadlines } from './deadlines';
import { ManualScheduler } from '../spec-helpers/manual-scheduler';

describe('Deadlines', () => {
  interface Named { name: string; timeout: number; at: number; cancelled: boolean }

  function setup() {
    const scheduler = new ManualScheduler();
    const expired: string[] = [];
    const deadlines = new Deadlines<Named>(scheduler, (d) => expired.push(d.name));
    const add = (timeout: number, name: string): Named => {
      const d = { name, timeout, at: 0, cancelled: false };
      deadlines.add(d);
      return d;
    };
    return { scheduler, expired, deadlines, add };
  }

  it('expires each deadline at its own time with a single timer', () => {
    const { scheduler, expired, deadlines, add } = setup();
    add(100, 'a@100');
    scheduler.advance(10);
    add(100, 'b@110');
    add(50, 'c@60');
    expect(scheduler.pending).toBe(1);

    scheduler.advance(50);
    expect(expired).toEqual(['c@60']);
    scheduler.advance(40);
    expect(expired).toEqual(['c@60', 'a@100']);
    scheduler.advance(10);
    expect(expired).toEqual(['c@60', 'a@100', 'b@110']);
    expect(scheduler.pending).toBe(0);
  });

  it('never expires a cancelled deadline, and stops the timer once nothing is left', () => {
    const { scheduler, expired, deadlines, add } = setup();
    const handles = Array.from({ length: 100 }, (_, i) => add(1000, String(i)));
    handles.forEach((handle, i) => i !== 42 && deadlines.cancel(handle));
    expect(scheduler.pending).toBe(1);
    deadlines.cancel(handles[42]);
    expect(scheduler.pending).toBe(0);
    scheduler.advance(5000);
    expect(expired).toEqual([]);
  });

  it('keeps the live deadlines when it compacts a mostly cancelled queue', () => {
    const { scheduler, expired, deadlines, add } = setup();
    const handles = Array.from({ length: 200 }, (_, i) => add(1000, String(i)));
    handles.forEach((handle, i) => i % 10 !== 0 && deadlines.cancel(handle));
    scheduler.advance(1000);
    expect(expired).toEqual(Array.from({ length: 20 }, (_, i) => String(i * 10)));
  });
});
