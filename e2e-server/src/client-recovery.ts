// Missed-push recovery as a client of this protocol does it, in the shape the
// customapp-rxjs-websocket controller's `recovery` option takes. Written against the fields of the
// messages, not a generated module, so that protocol.ts and any leaner client module can export it
// as it is (the protocol module imports no client library either: the shape is matched, not imported).
// Browser-safe.

/** A stream position as a request carries it in `sub.since`. */
export interface SincePosition {
  readonly epoch: string;
  readonly seq: number;
}

/** The fields of `api.StreamPosition` this reads. */
interface PositionFields {
  epoch?: string | null;
  seq?: number | null;
}

/** The fields of `api.Response` this reads: a push's kind and position, a `subscribed` answer's. */
interface ResponseFields {
  sub?: { kind?: number | null; position?: PositionFields | null } | null;
  subscribed?: { kind?: number | null; recovery?: number | null; position?: PositionFields | null; replayed?: number | null } | null;
}

/** The fields of `api.Request` this reads and writes: a `sub` and its `since`. */
interface RequestFields {
  sub?: { kind?: number | null; since?: PositionFields | null } | null;
}

/**
 * `api.Recovery.RECOVERED` and `api.Recovery.RESYNC` of proto/api.proto (a numeric enum once decoded,
 * in both encodings); test/client-recovery.test.ts holds these to the generated enum.
 */
export const RECOVERY_VALUES = { RECOVERED: 2, RESYNC: 3 } as const;

/** The stream a message is about: one per subscription kind (`String(kind)`, the enum's number). */
function streamOf(kind: number | null | undefined): string | undefined {
  return kind ? String(kind) : undefined;
}

function sinceOf(position: PositionFields | null | undefined): SincePosition | undefined {
  return position ? { epoch: position.epoch ?? '', seq: Number(position.seq ?? 0) } : undefined;
}

/**
 * How a client resumes its subscriptions after a reconnect (see PROTOCOL.md, "Missed-push
 * recovery"): every push's `position`, else a `subscribed` answer's, is the last one seen of its
 * kind; a `sub` sent again carries it as `since`; `subscribed.recovery` says whether the missed pushes
 * follow (`RECOVERED`, `replayed` of them) or the state must be replaced (`RESYNC`).
 *
 * @example
 * new WebSocketController({ url, ...CLIENT_CLOSE_POLICY, recovery: CLIENT_RECOVERY });
 */
export const CLIENT_RECOVERY = {
  position(message: ResponseFields): { stream: string; position: SincePosition } | undefined {
    const at = message.sub?.position ? message.sub : message.subscribed?.position ? message.subscribed : undefined;
    const stream = streamOf(at?.kind);
    const position = sinceOf(at?.position);
    return stream !== undefined && position !== undefined ? { stream, position } : undefined;
  },
  stream(request: RequestFields): string | undefined {
    return streamOf(request.sub?.kind);
  },
  resume<Request extends RequestFields>(request: Request, since: SincePosition): Request {
    return { ...request, sub: { ...request.sub, since: { epoch: since.epoch, seq: since.seq } } };
  },
  outcome(response: ResponseFields): 'recovered' | 'resynced' | undefined {
    const recovery = response.subscribed?.recovery;
    return recovery === RECOVERY_VALUES.RECOVERED ? 'recovered' : recovery === RECOVERY_VALUES.RESYNC ? 'resynced' : undefined;
  },
  replayed(response: ResponseFields): number {
    return response.subscribed?.replayed ?? 0;
  },
};
