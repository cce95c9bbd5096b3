import { exponentialBackoff } from 'customapp-rxjs-websocket';

describe('exponentialBackoff', () => {
  it('doubles the ceiling per attempt from 0.5 s and caps it at 30 s by default', () => {
    const ceiling = exponentialBackoff({ random: () => 0.999999 });
    expect([1, 2, 3, 4, 7, 20].map(ceiling)).toEqual([499, 999, 1999, 3999, 29_999, 29_999]);
  });

  it('draws the whole delay at random below the ceiling (full jitter)', () => {
    const values = [0, 0.25, 0.5];
    const delay = exponentialBackoff({ initialDelay: 1000, random: () => values.shift() ?? 0 });
    expect([delay(3), delay(3), delay(3)]).toEqual([0, 1000, 2000]);
  });

  it('takes its own initial delay, factor and maximum', () => {
    const delay = exponentialBackoff({ initialDelay: 100, factor: 3, maxDelay: 1000, random: () => 0.5 });
    expect([1, 2, 3, 4].map(delay)).toEqual([50, 150, 450, 500]);
  });
});
