# syntax=docker/dockerfile:1
# Node.js 26 is the Active LTS line (since 2026-10-28; Node 24 is in maintenance). Not built in
# our CI, which has no Docker engine: keep it plain.
#
# No compilers anywhere: better-sqlite3 13 ships prebuilt N-API binaries for linux x64 and arm64
# (glibc and musl) inside its npm package, and package.json's allowScripts keeps npm from
# recompiling it.

# Production dependencies only.
FROM node:26-trixie-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# The build: TypeScript (a dev dependency) compiles src/ into dist/.
FROM node:26-trixie-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/preflight.js ./scripts/
COPY src ./src
RUN npm run build

# Runtime: compiled JavaScript and production dependencies, non-root.
FROM node:26-trixie-slim
ENV NODE_ENV=production \
  HTTP_HOST=0.0.0.0 \
  HTTP_PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The usage chart's font (assets/fonts), read next to dist/ at run time.
COPY assets ./assets
# package.json makes dist/ ES modules (and names the version); .env.example documents the settings.
COPY package.json .env.example ./
# The named volume starts as a copy of this folder, so it is owned by the non-root user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node itself, not npm: SIGTERM from `docker stop` reaches the bot, which finishes what it is doing
# and exits. Run it with an init as PID 1 (compose.yaml sets `init: true`; `docker run --init`).
CMD ["node", "dist/index.js"]
