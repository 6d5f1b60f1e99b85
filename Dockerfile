# syntax=docker/dockerfile:1
# Factdesk's image: a build stage compiles the TypeScript to dist/, and the runtime stage holds only
# dist/ and the production dependencies, runs as the unprivileged `node` user, and keeps the
# articles (/seeds) and what Factdesk writes (/data) in volumes. Build: docker build -t factdesk .

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
COPY scripts ./scripts
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    SEEDS_DIR=/seeds \
    DATA_DIR=/data \
    HEALTH_PORT=8080 \
    HEALTH_HOST=0.0.0.0
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The sample article, so that the image answers something before a real archive is mounted.
COPY seeds /seeds
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/seeds", "/data"]
EXPOSE 8080
# Healthy once the index is loaded and the gateway is connected (node:*-slim has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=2m --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.HEALTH_PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
# node itself, not npm, runs as PID 1, so SIGTERM reaches Factdesk directly and it disconnects cleanly.
CMD ["node", "dist/src/main.js"]
