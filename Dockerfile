# One image for the gateway and the four departmental subgraphs. The default command runs the gateway;
# docker-compose.yml overrides it per service:
#   node dist/gateway/src/index.js
#   node dist/subgraphs/<population|public-security|civil-affairs|health>/src/index.js

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: compile better-sqlite3 from source and the TypeScript sources -------------------------------
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Build better-sqlite3 with node-gyp against the headers that ship with the image (/usr/local/include/node)
# instead of downloading a prebuilt binary or the Node headers.
ENV npm_config_build_from_source=better-sqlite3 \
    npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY gateway ./gateway
COPY subgraphs ./subgraphs
RUN npm run build
# The supergraph is committed (npm run compose); compose it here only if the build context lacks it.
RUN test -f gateway/supergraph.graphql || node dist/shared/scripts/compose.js
# Keep the compiled native module, drop the dev dependencies and better-sqlite3's sources and object files
# (only build/Release/better_sqlite3.node is loaded at run time).
RUN npm prune --omit=dev --no-audit --no-fund \
 && (cd node_modules/better-sqlite3 \
     && rm -rf deps src build/deps build/Release/obj build/Release/obj.target build/Release/.deps \
               build/Release/sqlite3.a build/Release/test_extension.node) \
 && node -e "new (require('better-sqlite3'))(':memory:').prepare('SELECT 1').get()"

# ---- runtime -------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist/shared ./dist/shared
COPY --from=build --chown=node:node /app/dist/gateway ./dist/gateway
COPY --from=build --chown=node:node /app/dist/subgraphs ./dist/subgraphs
COPY --from=build --chown=node:node /app/gateway/supergraph.graphql ./gateway/supergraph.graphql
COPY --from=build --chown=node:node /app/shared/data ./shared/data
# data/ holds the SQLite files when no <NAME>_DATABASE_URL is set (the embedded default).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
ENV HOST=0.0.0.0
EXPOSE 4000 4001 4002 4003 4004
# The gateway's heap limit: gateway/src/node-flags.ts (GATEWAY_NODE_FLAGS) explains it; keep the two equal.
CMD ["node", "--max-old-space-size=192", "dist/gateway/src/index.js"]
