#!/usr/bin/env bash
# Debian chromium for the browser tests (Playwright drives it; never `playwright install`).
# Already there: nothing to do. As root: apt-get. Otherwise: sudo without a password prompt, or stop
# saying exactly what to run.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi

ORDEN="apt-get update && apt-get install -y chromium"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Falta chromium para las pruebas de navegador y este equipo no tiene apt-get." >&2
  echo "Instale el paquete chromium de su distribución (Debian: $ORDEN) y repita make test." >&2
  exit 1
fi

if [ "$(id -u)" = "0" ]; then
  COMO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  COMO=(sudo -n)
else
  echo "Falta chromium para las pruebas de navegador y se necesita root para instalarlo. Ejecute:" >&2
  echo "" >&2
  echo "    sudo sh -c '$ORDEN'" >&2
  echo "" >&2
  echo "(o, como root: $ORDEN) y repita make test." >&2
  exit 1
fi

echo "Instalando chromium de Debian para las pruebas de navegador…"
"${COMO[@]}" apt-get update -qq
"${COMO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
if ! command -v chromium >/dev/null 2>&1; then
  echo "apt-get terminó pero chromium no está en el PATH." >&2
  exit 1
fi
