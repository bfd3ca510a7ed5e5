# One image for the api and worker processes (see docker-compose.yml) and for `gke-emulator start`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production GKE_EMULATOR_HOST=0.0.0.0 GKE_EMULATOR_PORT=8085
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/package.json ./package.json
EXPOSE 8085
HEALTHCHECK --interval=5s --timeout=2s --retries=10 CMD node -e "fetch('http://127.0.0.1:8085/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Default: everything in one process with embedded PostgreSQL. docker-compose.yml runs api and worker apart.
CMD ["node", "dist/cli/main.js", "start", "--data-dir", "/data"]
