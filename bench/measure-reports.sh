#!/usr/bin/env bash
# Measures the report operations of bench/report-operations/ on the 330,000-person MariaDB county (bench_*):
# starts the four subgraphs and the gateway from dist/ on ports 4100–4104, sends each operation RUNS times with a
# county-wide population clerk's token, and prints the median and the peak RSS of the gateway and population.
# Usage: npm run --silent build && [BENCH_PORT_BASE=4100] bench/measure-reports.sh [operation.graphql ...]
# (BENCH_PORT_BASE: the gateway's port; the four departments take the next four.)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
B=${BENCH_PORT_BASE:-4100}
MYSQL=${BENCH_MYSQL_URL:-mysql://root@127.0.0.1:3306}
export POPULATION_DATABASE_URL=$MYSQL/bench_population PUBLIC_SECURITY_DATABASE_URL=$MYSQL/bench_public_security
export CIVIL_AFFAIRS_DATABASE_URL=$MYSQL/bench_civil_affairs HEALTH_DATABASE_URL=$MYSQL/bench_health
export POPULATION_PORT=$((B+1)) PUBLIC_SECURITY_PORT=$((B+2)) CIVIL_AFFAIRS_PORT=$((B+3)) HEALTH_PORT=$((B+4)) GATEWAY_PORT=$B
export POPULATION_URL=http://127.0.0.1:$((B+1))/graphql PUBLIC_SECURITY_URL=http://127.0.0.1:$((B+2))/graphql
export CIVIL_AFFAIRS_URL=http://127.0.0.1:$((B+3))/graphql HEALTH_URL=http://127.0.0.1:$((B+4))/graphql
export GATEWAY_URL=http://127.0.0.1:$B/graphql PLATFORM_QUERY_TIMEOUT_MS=${PLATFORM_QUERY_TIMEOUT_MS:-60000} SUBGRAPH_TIMEOUT_MS=${SUBGRAPH_TIMEOUT_MS:-60000}
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
for name in population public-security civil-affairs health; do
  node dist/subgraphs/$name/src/index.js >/tmp/bench-$B-$name.log 2>&1 & pids+=($!)
done
declare -A port=([population]=$((B+1)) [public-security]=$((B+2)) [civil-affairs]=$((B+3)) [health]=$((B+4)) [gateway]=$B)
for name in population public-security civil-affairs health; do
  until curl -sf http://127.0.0.1:${port[$name]}/health >/dev/null; do sleep 0.5; done
done
# The gateway runs with its deployed V8 flags (gateway/src/node-flags.ts) unless GATEWAY_NODE_FLAGS says otherwise.
flags=${GATEWAY_NODE_FLAGS-$(node -p 'require("./dist/gateway/src/node-flags").GATEWAY_NODE_FLAGS.join(" ")')}
node $flags dist/gateway/src/index.js >/tmp/bench-$B-gateway.log 2>&1 & pids+=($!)
until curl -sf http://127.0.0.1:$B/health >/dev/null; do sleep 0.5; done
TOKEN=$(node -e '
  const { issueAccessToken } = require("./dist/shared/src/auth/tokens");
  const { defaultScopes } = require("./dist/shared/src/auth/grants");
  const { secret } = require("./dist/shared/src/config");
  issueAccessToken({ sub: "bench-clerk", dept: "population", scope: defaultScopes("population").join(" "), region: "522328" }, secret("JWT_SECRET"), "1h").then((t) => console.log(t));' 2>/dev/null)
ops=("$@"); [ ${#ops[@]} -eq 0 ] && ops=(bench/report-operations/*.graphql)
started=$(date -u +%Y-%m-%dT%H%M%S); load_before=$(cut -d' ' -f1-3 /proc/loadavg); rows=$(mktemp)
for op in "${ops[@]}"; do
  body=$(node -e 'console.log(JSON.stringify({ query: require("fs").readFileSync(process.argv[1], "utf8") }))' "$op")
  times=()
  for i in $(seq "$RUNS"); do
    t=$(curl -s -o /tmp/bench-answer-$B.json -w '%{time_total}' -H "content-type: application/json" -H "authorization: Bearer $TOKEN" -H "x-purpose: benchmark" --data "$body" http://127.0.0.1:$B/graphql)
    times+=("$t")
  done
  errors=$(node -e 'const b = require(process.argv[1]); console.log(b.errors ? JSON.stringify(b.errors[0]).slice(0, 200) : "ok")' "/tmp/bench-answer-$B.json")
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "$(basename "$op" .graphql): median ${median}s of $RUNS (${times[*]}) — $errors"
  printf '%s\t%s\t%s\t%s\n' "$(basename "$op" .graphql)" "$median" "${times[*]}" "$errors" >>"$rows"
done
gateway_mb=$(grep VmHWM /proc/${pids[4]}/status | awk '{print $2/1024}')
population_mb=$(grep VmHWM /proc/${pids[0]}/status | awk '{print $2/1024}')
echo "peak RSS (VmHWM): gateway ${gateway_mb} MB, population ${population_mb} MB"
# The figures also go to bench/results/<time>-reports.json, with the machine's load before and after the run.
mkdir -p bench/results
node -e '
  const [rows, out, started, runs, before, gateway, population] = process.argv.slice(1);
  const os = require("os");
  const operations = require("fs").readFileSync(rows, "utf8").trim().split("\n").map((line) => {
    const [operation, median, times, answer] = line.split("\t");
    return { operation, medianSeconds: Number(median), seconds: times.split(" ").map(Number), answer };
  });
  const result = { kind: "reports", started, command: "bench/measure-reports.sh", runsPerOperation: Number(runs),
    machine: { cpus: os.cpus().length, model: os.cpus()[0].model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    loadAverage: { before, after: require("fs").readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ") },
    peakRssMB: { gateway: Number(gateway), population: Number(population) }, operations };
  require("fs").writeFileSync(out, JSON.stringify(result, null, 2) + "\n");
  console.log("results: " + out);' "$rows" "bench/results/$started-reports.json" "$started" "$RUNS" "$load_before" "$gateway_mb" "$population_mb"
rm -f "$rows"
