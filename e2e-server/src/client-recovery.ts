// Missed-push recovery as a client of this protocol does it, in the shape the
// customapp-rxjs-websocket controller's `recovery` option takes (the protocol module imports no
// client library, so the shape is matched, not imported). Browser-safe.
import { api } from '../generated/api.js';

/** A stream position as a request carries it in `sub.since`. */
export type SincePosition = { readonly epoch: string; readonly seq: number };

/** The stream a message is about: one per subscription kind (`String(kind)`, the enum's number). */
function streamOf(kind: api.SubKind | null | undefined): string | undefined {
  return kind ? String(kind) : undefined;
}

function sinceOf(position: api.IStreamPosition | null | undefined): SincePosition | undefined {
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
  position(message: api.Response): { stream: string; position: SincePosition } | undefined {
    const at = message.sub?.position ? message.sub : message.subscribed?.position ? message.subscribed : undefined;
    const stream = streamOf(at?.kind);
    const position = sinceOf(at?.position);
    return stream !== undefined && position !== undefined ? { stream, position } : undefined;
  },
  stream(request: api.Request.$Properties): string | undefined {
    return streamOf(request.sub?.kind);
  },
  resume(request: api.Request.$Properties, since: SincePosition): api.Request.$Properties {
    return { ...request, sub: { ...request.sub, since: { epoch: since.epoch, seq: since.seq } } };
  },
  outcome(response: api.Response): 'recovered' | 'resynced' | undefined {
    const recovery = response.subscribed?.recovery;
    return recovery === api.Recovery.RECOVERED ? 'recovered' : recovery === api.Recovery.RESYNC ? 'resynced' : undefined;
  },
  replayed(response: api.Response): number {
    return response.subscribed?.replayed ?? 0;
  },
};
