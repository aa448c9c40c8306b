# ComplaintDiagnostics service image.
#   docker build -t complaint-diagnostics .
#   docker run -d --name cd -p 8080:8080 complaint-diagnostics          # try it: the rules baked into the image, as written
#   docker run -d --name cd -p 8080:8080 -v cd-data:/app/data \
#     -e Rules__Source=release -e Rules__Remote=https://git.example.com/noc/complaint-rules.git \
#     -e Rules__Repository=/app/data/rules-repo complaint-diagnostics   # serve: releases of the NOC's rules repository
# Folder mode reloads /app/rules on every change (file events plus polling); release mode serves the active release
# and changes only through a proposal, an approval and an activation (docs/operations.md, "Rule releases").
# Health: GET /healthz (alive), GET /readyz (rules loaded).

# --- build: restore first so that source edits do not invalidate the package layer
# ReadyToRun: the assemblies are published with native code for the image's platform, so a start spends less
# time in the JIT; with the one-round HTTP warm-up the service is ready in about 1.4 s (docs/performance.md).
# RID is linux-x64 or linux-arm64, from the platform being built.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
WORKDIR /src
RUN echo "linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64)" > /rid
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ComplaintDiagnostics.Contracts/ComplaintDiagnostics.Contracts.csproj src/ComplaintDiagnostics.Contracts/
COPY src/ComplaintDiagnostics.Core/ComplaintDiagnostics.Core.csproj src/ComplaintDiagnostics.Core/
COPY src/ComplaintDiagnostics.Decisions/ComplaintDiagnostics.Decisions.csproj src/ComplaintDiagnostics.Decisions/
COPY src/ComplaintDiagnostics.Api/ComplaintDiagnostics.Api.csproj src/ComplaintDiagnostics.Api/
RUN dotnet restore src/ComplaintDiagnostics.Api/ComplaintDiagnostics.Api.csproj --runtime "$(cat /rid)" -p:PublishReadyToRun=true
COPY src/ src/
# The rule-file schemas are built into the core library.
COPY rules/schema/ rules/schema/
RUN dotnet publish src/ComplaintDiagnostics.Api/ComplaintDiagnostics.Api.csproj \
      --configuration Release --no-restore --runtime "$(cat /rid)" --self-contained false -p:PublishReadyToRun=true \
      --output /app /p:UseAppHost=false

# --- the CLI (replay jobs, check in CI): docker build --target cli -t complaint-diagnostics-cli .
#   docker run --rm -v $PWD:/work complaint-diagnostics-cli replay --tickets /work/history.jsonl --rules /app/rules
FROM build AS cli-build
RUN dotnet publish src/ComplaintDiagnostics.Cli/ComplaintDiagnostics.Cli.csproj \
      --configuration Release --runtime "$(cat /rid)" --self-contained false -p:PublishReadyToRun=true \
      --output /cli /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS cli
WORKDIR /app
COPY --from=cli-build /cli ./
COPY rules/ ./rules/
# Tiered compilation counts calls at once for a replay's sake: set in the CLI's runtimeconfig (its project file).
USER $APP_UID
ENTRYPOINT ["dotnet", "complaint-diagnostics.dll"]

# --- runtime (the default target): ASP.NET only, non-root
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# Git for release mode (Rules__Source=release: the rules repository is read and written with the git command line) and
# for the rules folder's history; SSH for a rules repository reached over SSH.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends git openssh-client \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
# The shipped rules are the default; mount a folder over /app/rules to serve your own.
COPY rules/ ./rules/
# The service's data folder: the last-good copy of the rules (data/last-good-rules.json), the decision record
# (data/decisions.db, SQLite, unless ConnectionStrings__Decisions names PostgreSQL) and its spool (data/decision-spool):
# the one place the non-root user writes. It outlives a container restart; mount a volume there to outlive the container.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
ENV Rules__Path=/app/rules \
    ASPNETCORE_HTTP_PORTS=8080
VOLUME ["/app/rules"]
EXPOSE 8080
USER $APP_UID
# No curl in the official runtime images: ask /healthz over bash's /dev/tcp instead.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ASPNETCORE_HTTP_PORTS%%[,;]*} && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "ComplaintDiagnostics.Api.dll"]
