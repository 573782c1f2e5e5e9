# Sourced by .ci/run: a real Redis on loopback for the team-server tests (issue 15).
# Installs Debian's redis-server when missing, starts a throwaway instance without persistence on
# 127.0.0.1:6390 and exports AUTOTASK_TEST_REDIS_URL; the instance stops when .ci/run exits.
if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
CI_REDIS_PORT="${CI_REDIS_PORT:-6390}"
CI_REDIS_DIR="$(mktemp -d)"
redis-server --port "$CI_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
  --dir "$CI_REDIS_DIR" --pidfile "$CI_REDIS_DIR/redis.pid" --logfile "$CI_REDIS_DIR/redis.log"
for _ in $(seq 1 50); do
  redis-cli -p "$CI_REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$CI_REDIS_PORT" ping >/dev/null
export AUTOTASK_TEST_REDIS_URL="redis://127.0.0.1:${CI_REDIS_PORT}"
trap 'redis-cli -p "$CI_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true' EXIT
