# The auth service: built once, run as an unprivileged user with production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json mikro-orm.config.ts ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production PORT=4000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Only read when GRAPHQL_PLAYGROUND=true.
COPY playground ./playground
COPY examples ./examples
USER node
EXPOSE 4000
# node directly, not npm start: it would try to rebuild without the dev dependencies, and
# node receives SIGTERM itself, drains in-flight requests and exits 0.
CMD ["node", "dist/src/index.js"]
