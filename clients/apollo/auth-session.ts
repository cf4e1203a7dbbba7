/** The two tokens a sign-in, a refresh or a register returns. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

/**
 * Where the session keeps its tokens. The default keeps them in memory only;
 * see docs/clients.md for why that is the safest place in a browser.
 */
export interface TokenStorage {
  read(): TokenPair | null;
  write(tokens: TokenPair | null): void;
}

/** Why the session stopped being signed in. */
export type SignedOutReason =
  /** The app called signOut (after logout, or to forget the user). */
  | "signed-out"
  /** The server answered TOKEN_REVOKED: logout elsewhere, reuse detection, or an admin action. */
  | "revoked"
  /** The refresh token was refused, so the session cannot be renewed. */
  | "refresh-refused";

export type SessionEvent = { status: "signed-in" } | { status: "signed-out"; reason: SignedOutReason };

/** What a refresh attempt came to: new tokens, a refusal that ends the session, or a failure worth retrying later. */
export type RefreshOutcome = { kind: "renewed"; tokens: TokenPair } | { kind: "refused" } | { kind: "failed"; error: unknown };

/** Keeps tokens in this JavaScript context only: gone on reload, out of reach of other scripts' storage reads. */
export function memoryTokenStorage(): TokenStorage {
  let tokens: TokenPair | null = null;
  return {
    read: () => tokens,
    write: (next) => {
      tokens = next;
    },
  };
}

/**
 * The signed-in state of one client: its tokens, who to tell when it ends,
 * and a single-flight refresh so that many requests expiring together cost
 * one `refresh` call and never race each other into reuse detection.
 */
export class AuthSession {
  private renewal?: Promise<string | undefined>;
  private readonly listeners = new Set<(event: SessionEvent) => void>();

  constructor(private readonly storage: TokenStorage = memoryTokenStorage()) {}

  get accessToken(): string | undefined {
    return this.storage.read()?.accessToken;
  }

  get signedIn(): boolean {
    return this.storage.read() !== null;
  }

  /** Stores the pair from register, login or refresh. */
  signIn(tokens: TokenPair): void {
    this.storage.write({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
    this.emit({ status: "signed-in" });
  }

  /** Forgets the tokens and reports signed-out (once, however many requests notice). */
  signOut(reason: SignedOutReason = "signed-out"): void {
    if (!this.signedIn) return;
    this.storage.write(null);
    this.emit({ status: "signed-out", reason });
  }

  /** Calls `listener` on every sign-in and sign-out; returns the unsubscribe function. */
  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A fresh access token to replace `expiredAccessToken`. If another request
   * already renewed it, that token is returned without a new call; if a
   * renewal is under way, this joins it. Resolves undefined when the session
   * cannot be renewed (signed out meanwhile, refresh refused or failed).
   */
  renew(expiredAccessToken: string, exchange: (refreshToken: string) => Promise<RefreshOutcome>): Promise<string | undefined> {
    const current = this.storage.read();
    if (current === null) return Promise.resolve(undefined);
    if (current.accessToken !== expiredAccessToken) return Promise.resolve(current.accessToken);
    this.renewal ??= this.exchange(current.refreshToken, exchange).finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  private async exchange(refreshToken: string, exchange: (refreshToken: string) => Promise<RefreshOutcome>): Promise<string | undefined> {
    const outcome = await exchange(refreshToken);
    if (outcome.kind === "renewed") {
      this.storage.write(outcome.tokens);
      return outcome.tokens.accessToken;
    }
    if (outcome.kind === "refused") this.signOut("refresh-refused");
    return undefined;
  }

  private emit(event: SessionEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
