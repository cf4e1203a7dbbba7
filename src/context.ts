import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { RequestAuth } from "./auth/request-auth";
import type { Services } from "./services";

/** What every resolver gets: its own entity manager, the caller, the client IP and the services. */
export interface Context {
  em: EntityManager;
  auth: RequestAuth;
  ip: string;
  services: Services;
}

export function buildContext(orm: MikroORM, services: Services, request: { authorization?: string; ip: string }): Context {
  return {
    em: orm.em.fork(),
    auth: new RequestAuth(request.authorization, services.tokens, services.revocation),
    ip: request.ip,
    services,
  };
}
