// Who may do what on which socket: one place for every authorization decision of the sockets.
import { api } from '../generated/api.js';
import type { RoleName } from './users.js';

/** The two socket endpoints: `/ws` and `/ws/notifications`. */
export type Endpoint = 'main' | 'notifications';

export type Decision = { allowed: true } | { allowed: false; code: api.ErrorCode; message: string };

const allow: Decision = { allowed: true };
const deny = (code: api.ErrorCode, message: string): Decision => ({ allowed: false, code, message });

/** May this role subscribe to this kind on this endpoint? */
export function maySubscribe(role: RoleName, kind: api.SubKind, endpoint: Endpoint): Decision {
  switch (kind) {
    case api.SubKind.CATEGORIES:
      // Every role may watch the menu, on the main socket.
      return endpoint === 'main' ? allow : deny(api.ErrorCode.FORBIDDEN, 'CATEGORIES is served on /ws, not on /ws/notifications.');
    case api.SubKind.AUDIT_LOG:
      // Who changed what is for admins only.
      if (endpoint !== 'main') return deny(api.ErrorCode.FORBIDDEN, 'AUDIT_LOG is served on /ws, not on /ws/notifications.');
      return role === 'ADMIN' ? allow : deny(api.ErrorCode.FORBIDDEN, 'Only an ADMIN may subscribe to AUDIT_LOG.');
    case api.SubKind.NOTIFICATIONS:
      // Every user gets their own notifications, on the notifications socket.
      return endpoint === 'notifications'
        ? allow
        : deny(api.ErrorCode.FORBIDDEN, 'NOTIFICATIONS is served on /ws/notifications, not on /ws.');
    default:
      return deny(api.ErrorCode.BAD_REQUEST, 'Unknown subscription kind: use CATEGORIES, AUDIT_LOG or NOTIFICATIONS.');
  }
}

/** May this role use this menu request on this endpoint? Reading is for everyone, editing is not for viewers. */
export function mayUseMenu(role: RoleName, body: 'menuList' | 'menuAdd' | 'menuRename' | 'menuDelete', endpoint: Endpoint): Decision {
  if (endpoint !== 'main') return deny(api.ErrorCode.FORBIDDEN, 'Menu requests are served on /ws, not on /ws/notifications.');
  if (body !== 'menuList' && role === 'VIEWER') return deny(api.ErrorCode.FORBIDDEN, 'A VIEWER may read the menu but not change it.');
  return allow;
}
