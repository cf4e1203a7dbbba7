import type { IncomingMessage } from "node:http";

/**
 * The client's address: the socket peer, or, behind `trustedProxies`
 * reverse proxies, the address that many hops back in X-Forwarded-For.
 * Entries a client adds itself sit further left and are never reached.
 */
export function clientIp(request: IncomingMessage, trustedProxies: number): string {
  const peer = withoutIpv4Mapping(request.socket.remoteAddress ?? "unknown");
  if (trustedProxies === 0) return peer;
  const header = request.headers["x-forwarded-for"];
  const forwarded = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((address) => address.trim())
    .filter(Boolean);
  const chain = [...forwarded, peer];
  return chain[Math.max(0, chain.length - 1 - trustedProxies)];
}

/** A dual-stack socket reports IPv4 peers as `::ffff:a.b.c.d`; one client must have one key. */
function withoutIpv4Mapping(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}
