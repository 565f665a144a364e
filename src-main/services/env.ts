import type { KeyObject } from 'node:crypto';
import type { Organization } from '../../src-shared/domain/directory.js';
import type { Role } from '../../src-shared/domain/enums.js';
import type { DeviceKind } from '../../src-shared/rules/channels.js';
import type { PolicyProfile } from '../../src-shared/policy/types.js';
import type { Hlc } from '../../src-shared/sync/hlc.js';
import type { Db } from '../db/open.js';
import type { DirectoryCache } from './directory.js';

/** Everything a service needs, built once per desk process. */
export interface Env {
  db: Db;
  clock: () => number;
  /** This install: its id, and its ticket prefix as it stands (the server may assign a new one). */
  device: { readonly id: string; readonly prefix: string; readonly kind: DeviceKind };
  org: Organization;
  profile: PolicyProfile;
  hlc: Hlc;
  directory: DirectoryCache;
  /** Did the last exchange with the sync server succeed? (false on a desk that is not enrolled) */
  online: () => boolean;
  /** An op was queued for the server: the sync engine sends it in a moment, not at its next poll (a no-op on a standalone desk). */
  queued: () => void;
}

/** The signed-in user on whose behalf a service runs. */
export interface Actor {
  userId: string;
  role: Role;
  doctorId: string | null;
  /** Their signing key, opened at sign-in: every op they make is signed with it (journal.ts). */
  key: KeyObject;
}
