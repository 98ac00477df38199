#!/usr/bin/env bash
# Debian packages the tests drive: chromium for the browser tests (Playwright drives it; never `playwright
# install`), poppler-utils (pdftoppm) and zbar-tools (zbarimg) to render a constancia and read its QR back.
# Already there: nothing to do. As root: apt-get. Otherwise: sudo without a password prompt, or stop saying
# exactly what to run.
set -euo pipefail

declare -A PAQUETE_DE=([chromium]=chromium [pdftoppm]=poppler-utils [zbarimg]=zbar-tools)
FALTAN=()
for orden in chromium pdftoppm zbarimg; do
  command -v "$orden" >/dev/null 2>&1 || FALTAN+=("${PAQUETE_DE[$orden]}")
done
if [ ${#FALTAN[@]} -eq 0 ]; then
  exit 0
fi

ORDEN="apt-get update && apt-get install -y ${FALTAN[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Faltan paquetes para las pruebas (${FALTAN[*]}) y este equipo no tiene apt-get." >&2
  echo "Instálelos con el gestor de su distribución (Debian: $ORDEN) y repita make test." >&2
  exit 1
fi

if [ "$(id -u)" = "0" ]; then
  COMO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  COMO=(sudo -n)
else
  echo "Faltan paquetes para las pruebas (${FALTAN[*]}) y se necesita root para instalarlos. Ejecute:" >&2
  echo "" >&2
  echo "    sudo sh -c '$ORDEN'" >&2
  echo "" >&2
  echo "(o, como root: $ORDEN) y repita make test." >&2
  exit 1
fi

echo "Instalando de Debian para las pruebas: ${FALTAN[*]}…"
"${COMO[@]}" apt-get update -qq
"${COMO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${FALTAN[@]}" >/dev/null
if ! command -v chromium >/dev/null 2>&1; then
  echo "apt-get terminó pero chromium no está en el PATH." >&2
  exit 1
fi
