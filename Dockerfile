# WIF Console as a container: build everything in one stage, run the built server on the
# production dependencies in the next. `npm run test:artifact` (scripts/artifact-smoke.ts)
# runs these same steps without a container engine — keep the two in step: it reads this
# file's `COPY --from=build` lines to know what the runtime stage holds.

FROM node:22-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and @node-rs/argon2 ship prebuilt binaries; the toolchain is for platforms they lack.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The console (next build) and the bundled server (.next/wif-server/start.mjs), then only
# the production dependencies are kept.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATABASE_URL=file:/data/wif.db \
    WIF_SECRET_KEY_FILE=/data/secret.key \
    MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/next.config.ts ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/.next ./.next
COPY --from=build /app/scripts ./scripts
# lib/ is for the administration CLI (`docker compose exec wif npx wif backup …`), which runs through tsx.
COPY --from=build /app/lib ./lib
# The SQLite database, its secret key file and backups live on the volume, owned by the unprivileged user.
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "scripts/start.mjs"]
