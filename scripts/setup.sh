#!/usr/bin/env bash
# Installs what the build and tests need, and only what is missing: Debian packages (when run as
# root) and the npm packages pinned in package-lock.json. Safe to run again and again.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_packages=()
need() {  # need <package> <path-or-command>...
  local package=$1
  shift
  for probe in "$@"; do
    if [[ $probe == /* ]]; then [[ -e $probe ]] && continue; else command -v "$probe" >/dev/null 2>&1 && continue; fi
    apt_packages+=("$package")
    return
  done
}
need cmake cmake
need g++ g++
need make make
need emscripten em++ emcmake
need binaryen wasm-opt
need libeigen3-dev /usr/include/eigen3/Eigen/Core
need nlohmann-json3-dev /usr/include/nlohmann/json.hpp
need catch2 /usr/include/catch2/catch.hpp
# OpenSSL signs channel manifests (native build only; devices verify with WebCrypto).
need libssl-dev /usr/include/openssl/evp.h
need node-acorn /usr/share/nodejs/acorn
# Fuzzing (libFuzzer) and the sanitizer run of the C++ suite use clang and its runtimes.
need clang clang++
need libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a
# The browser tests drive Debian's chromium through playwright-core (no browser download).
need chromium /usr/bin/chromium

if ((${#apt_packages[@]})); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "setup: installing Debian packages: ${apt_packages[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
  else
    echo "setup: missing Debian packages: ${apt_packages[*]}" >&2
    echo "setup: run as root, or: sudo apt-get install -y ${apt_packages[*]}" >&2
    exit 1
  fi
fi

# npm packages, from the lockfile only; skipped when the installed tree matches it.
stamp=node_modules/.shelfwise-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$wanted" ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$wanted" >"$stamp"
fi
