# papersift: one image for the web server (`serve`) and the workers (`worker`).
# Not built in the environment this was written in (no container registry reachable); see docs/deploy.md.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary downloads; the toolchain stays in this stage.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs scripts/dist-freshness.mjs ./scripts/
COPY src ./src
# npm ci builds dist/ (the prepare script needs the dev dependencies); then they are dropped.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json \
    DATABASE_URL=/data/papersift.db
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY bin ./bin
COPY --from=deps /app/dist ./dist
COPY assets ./assets
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
# Liveness for `serve`; workers have no HTTP port (compose overrides the check for them).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM reaches node directly (exec form): serve and worker shut down gracefully on it.
ENTRYPOINT ["node", "bin/papersift.mjs"]
CMD ["serve"]
