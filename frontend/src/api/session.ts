import type { components } from "./schema";

/** The signed-in user as the API shows it. */
export type User = components["schemas"]["User"];

/** What a sign-in leaves behind: the token pair and who it belongs to. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  user: User;
}

const KEY = "rpma.session";

/**
 * The one place tokens live: in memory, mirrored to `localStorage` so a reload (or a restarted
 * backend) keeps the user signed in. Subscribers hear every change, including sign-out.
 */
export class SessionStore {
  private session: Session | null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | null = globalThis.localStorage ?? null) {
    this.session = read(storage);
  }

  get current(): Session | null {
    return this.session;
  }

  set(session: Session | null): void {
    this.session = session;
    if (session) this.storage?.setItem(KEY, JSON.stringify(session));
    else this.storage?.removeItem(KEY);
    for (const listener of this.listeners) listener();
  }

  /** Replace the user (after a profile edit) and keep the tokens. */
  setUser(user: User): void {
    if (this.session) this.set({ ...this.session, user });
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

function read(storage: Storage | null): Session | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    return parsed.accessToken && parsed.refreshToken && parsed.user ? (parsed as Session) : null;
  } catch {
    return null;
  }
}
