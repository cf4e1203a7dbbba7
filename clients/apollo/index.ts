export { createAuthClient, type AuthClient, type AuthClientOptions } from "./auth-client";
export { createAuthLink, SKIP_AUTH } from "./auth-link";
export {
  AuthSession,
  memoryTokenStorage,
  type RefreshOutcome,
  type SessionEvent,
  type SignedOutReason,
  type TokenPair,
  type TokenStorage,
} from "./auth-session";
