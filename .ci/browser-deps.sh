# Browser tests drive Debian's Chromium through chromedriver; the two packages are version-locked.
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  echo "== apt-get install chromium chromium-driver"
  apt_log="$(mktemp)"
  if ! { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      chromium chromium-driver; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    exit 1
  fi
  rm -f "$apt_log"
fi
