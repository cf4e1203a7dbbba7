import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { RequestAuth } from "./auth/request-auth";
import type { Services } from "./services";

/** What every resolver gets: its own entity manager, the caller, the client IP and the services. */
export interface Context {
  readonly em: EntityManager;
  auth: RequestAuth;
  ip: string;
  services: Services;
}

/**
 * The entity manager is forked the first time a resolver asks for it: `me`
 * and the other token-only operations never touch PostgreSQL, and a fork per
 * request was a measurable share of their cost. The getter lives on the
 * prototype because Apollo copies the context's own properties per request.
 */
class RequestContext implements Context {
  private forked?: EntityManager;

  constructor(
    private readonly orm: MikroORM,
    readonly auth: RequestAuth,
    readonly ip: string,
    readonly services: Services,
  ) {}

  get em(): EntityManager {
    this.forked ??= this.orm.em.fork();
    return this.forked;
  }
}

/** The context of one GraphQL request. */
export function buildContext(orm: MikroORM, services: Services, request: { authorization?: string; ip: string }): Context {
  return new RequestContext(orm, new RequestAuth(request.authorization, services.tokens, services.revocation), request.ip, services);
}
