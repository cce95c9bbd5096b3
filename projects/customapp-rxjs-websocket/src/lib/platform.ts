import { fromEvent, Observable } from 'rxjs';

/** The browser's `online` event, or `undefined` where there is no `window` (Node, SSR, workers without it). */
export function browserOnline$(): Observable<Event> | undefined {
  const target = (globalThis as { window?: EventTarget }).window;
  return target && typeof target.addEventListener === 'function' ? fromEvent(target, 'online') : undefined;
}

/** The size in bytes of a frame about to be sent (strings count as UTF-8). */
export function frameSize(frame: unknown): number {
  if (typeof frame === 'string') return utf8Length(frame);
  if (frame instanceof ArrayBuffer) return frame.byteLength;
  if (ArrayBuffer.isView(frame)) return frame.byteLength;
  const size = (frame as { size?: unknown } | null)?.size;
  return typeof size === 'number' ? size : 0;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
