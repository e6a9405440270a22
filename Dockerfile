# syntax=docker/dockerfile:1
# Build: compile TypeScript with the full dependency set.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json spec.json ./
COPY src ./src
COPY sim ./sim
COPY bench ./bench
RUN npx tsc -p tsconfig.build.json

# Runtime: production dependencies and the compiled connector only.
FROM node:24-bookworm-slim
WORKDIR /airbyte/integration_code
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY spec.json ./
COPY schemas ./schemas
COPY reference/atlassian ./reference/atlassian
ENV AIRBYTE_ENTRYPOINT="/airbyte/integration_code/bin/source-atlassian"
ENTRYPOINT ["/airbyte/integration_code/bin/source-atlassian"]
LABEL io.airbyte.name="source-atlassian/source-atlassian"
LABEL io.airbyte.version="0.1.0"
USER node
