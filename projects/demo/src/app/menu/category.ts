import type { api } from '@e2e-server/protocol';

/** A menu category as the store keeps it: a plain object, not a protobuf message. */
export interface Category {
  readonly id: string;
  readonly name: string;
  readonly version: number;
  /** The login of the user who made the last change. */
  readonly updatedBy: string;
}

export function toCategory(message: api.Category.$Properties): Category {
  return {
    id: message.id ?? '',
    name: message.name ?? '',
    version: message.version ?? 0,
    updatedBy: message.updatedBy ?? '',
  };
}
