#!/usr/bin/env bash
# The shared library exports only casevault_* C symbols and the casevault C++
# namespace (typeinfo and vtables included), and carries a SONAME.
set -euo pipefail
lib="$1"
soname=$(readelf -d "$lib" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libcasevault.so.0" ]; then
  echo "FAIL: SONAME is '$soname', expected libcasevault.so.0"
  exit 1
fi
stray=$(nm -D --defined-only "$lib" | awk '{print $3}' |
  grep -v -E '^casevault_|^_ZNK?9casevault|^_ZT[ISV]N9casevault' || true)
if [ -n "$stray" ]; then
  echo "FAIL: symbols exported outside casevault_* and casevault::"
  echo "$stray"
  exit 1
fi
count=$(nm -D --defined-only "$lib" | grep -c -E ' casevault_' || true)
if [ "$count" -lt 20 ]; then
  echo "FAIL: only $count casevault_* C symbols exported"
  exit 1
fi
echo "ok: SONAME $soname, $count C symbols, nothing else but casevault::"
