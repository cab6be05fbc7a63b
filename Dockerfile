# syntax=docker/dockerfile:1
# Not built in CI (no Docker engine on our machines): keep it plain.

# Build stage: production dependencies only; better-sqlite3 may compile, so it gets build tools.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Runtime stage: no compilers, non-root. `npm start` runs `tsx src/index.ts` (tsx is a runtime dependency).
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  NPM_CONFIG_UPDATE_NOTIFIER=false \
  HTTP_HOST=0.0.0.0 \
  HTTP_PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
# The named volume starts as a copy of this folder, so it is owned by the non-root user.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["npm", "start"]
