import { MessageCodec } from './message-codec';

describe('MessageCodec.stamp', () => {
  const codec = () => new MessageCodec<unknown, unknown, string>({ url: 'ws://test.local/ws' });

  it('stamps a copy of a request without an id, the id after its own fields, and leaves the request as it was', () => {
    const stamp = codec();
    const request = { type: 'list', page: 2 };
    const first = stamp.stamp(request);
    const second = stamp.stamp(request);
    expect(JSON.stringify(first)).toBe('{"type":"list","page":2,"id":1}');
    expect(JSON.stringify(second)).toBe('{"type":"list","page":2,"id":2}');
    expect(request).toEqual({ type: 'list', page: 2 });
  });

  it('replaces the id of a request that has one where it stands', () => {
    const request = { type: 'list', id: 0, page: 2 };
    expect(JSON.stringify(codec().stamp(request))).toBe('{"type":"list","id":1,"page":2}');
    expect(request.id).toBe(0);
  });

  it('keeps an own __proto__ field a field of the copy, as a spread does', () => {
    const request = JSON.parse('{"type":"list","__proto__":{"polluted":true}}');
    const stamped = codec().stamp(request) as Record<string, unknown>;
    expect(JSON.stringify(stamped)).toBe('{"type":"list","__proto__":{"polluted":true},"id":1}');
    expect(Object.getPrototypeOf(stamped)).toBe(Object.prototype);
  });

  it('stamps an id-only object for a request that is null', () => {
    expect(codec().stamp(null)).toEqual({ id: 1 });
  });
});
