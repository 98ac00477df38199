"""`make test` installs Debian chromium, poppler-utils and zbar-tools when they are missing
(tools/instalar_chromium.sh).

The script runs with a PATH of stand-ins (id, sudo, apt-get) that record what they were asked to do, so the
real chromium of this machine stays hidden and nothing is installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT

SCRIPT = ROOT / "tools" / "instalar_chromium.sh"
PAQUETES = "chromium poppler-utils zbar-tools"
BASH = shutil.which("bash")

STUBS = {
    "id": '[ "$1" = "-u" ] && printf "%s\\n" "$STUB_UID"',
    "sudo": (
        '[ "$STUB_SUDO" = "sin-clave" ] && [ "$1" = "-n" ] || exit 1\n'
        'shift; printf "sudo %s\\n" "$*" >> "$STUB_LOG"; exec "$@"'
    ),
    "apt-get": (
        'printf "apt-get %s DEBIAN_FRONTEND=%s\\n" "$*" "$DEBIAN_FRONTEND" >> "$STUB_LOG"\n'
        'if [ "$1" = "install" ]; then for c in chromium pdftoppm zbarimg; do printf "#!%s\\n" "$BASH" > "$STUB_DIR/$c"; '
        f'{shutil.which("chmod")} +x "$STUB_DIR/$c"; done; fi'
    ),
}


@pytest.fixture
def sin_chromium(tmp_path):
    """Run the script as on a bare machine: `entorno(uid=…, sudo=…, con=[stand-ins])` → (result, log lines)."""

    def correr(uid: str, sudo: str = "no", con=("id", "sudo", "apt-get")):
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir(exist_ok=True)
        for nombre in con:
            stub = bin_dir / nombre
            stub.write_text(f"#!{BASH}\n{STUBS[nombre]}\n")
            stub.chmod(0o755)
        for real in ("env", "true"):
            (bin_dir / real).symlink_to(shutil.which(real))
        log = tmp_path / "ordenes.log"
        log.touch()
        entorno = {
            "PATH": str(bin_dir),
            "STUB_UID": uid,
            "STUB_SUDO": sudo,
            "STUB_LOG": str(log),
            "STUB_DIR": str(bin_dir),
            "BASH": BASH,
        }
        resultado = subprocess.run([BASH, str(SCRIPT)], env=entorno, capture_output=True, text=True, timeout=30)
        return resultado, log.read_text().splitlines()

    return correr


def test_como_root_instala_chromium_con_apt_get(sin_chromium):
    resultado, ordenes = sin_chromium(uid="0")
    assert resultado.returncode == 0, resultado.stderr
    assert ordenes == [
        "apt-get update -qq DEBIAN_FRONTEND=",
        f"apt-get install -y -qq {PAQUETES} DEBIAN_FRONTEND=noninteractive",
    ]


def test_sin_root_usa_sudo_si_no_pide_clave(sin_chromium):
    resultado, ordenes = sin_chromium(uid="1000", sudo="sin-clave")
    assert resultado.returncode == 0, resultado.stderr
    assert ordenes == [
        "sudo true",  # sudo -n true: can it run without a password prompt?
        "sudo apt-get update -qq",
        "apt-get update -qq DEBIAN_FRONTEND=",
        f"sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {PAQUETES}",
        f"apt-get install -y -qq {PAQUETES} DEBIAN_FRONTEND=noninteractive",
    ]


@pytest.mark.parametrize("con", [("id", "apt-get"), ("id", "sudo", "apt-get")], ids=["sin sudo", "sudo con clave"])
def test_sin_root_ni_sudo_se_detiene_diciendo_que_ejecutar(sin_chromium, con):
    resultado, ordenes = sin_chromium(uid="1000", sudo="con-clave", con=con)
    assert resultado.returncode != 0
    assert ordenes == []  # nothing attempted
    assert f"sudo sh -c 'apt-get update && apt-get install -y {PAQUETES}'" in resultado.stderr


def _ya_instalados(tmp_path, *ordenes: str) -> None:
    (tmp_path / "bin").mkdir()
    for orden in ordenes:
        ejecutable = tmp_path / "bin" / orden
        ejecutable.write_text(f"#!{BASH}\n")
        ejecutable.chmod(0o755)


def test_con_todo_instalado_no_hace_nada(sin_chromium, tmp_path):
    _ya_instalados(tmp_path, "chromium", "pdftoppm", "zbarimg")
    resultado, ordenes = sin_chromium(uid="0")
    assert resultado.returncode == 0 and ordenes == []


def test_con_chromium_instala_solo_lo_que_falta(sin_chromium, tmp_path):
    _ya_instalados(tmp_path, "chromium")
    resultado, ordenes = sin_chromium(uid="0")
    assert resultado.returncode == 0, resultado.stderr
    assert ordenes[-1] == "apt-get install -y -qq poppler-utils zbar-tools DEBIAN_FRONTEND=noninteractive"


def test_make_test_instala_chromium_antes_de_pytest():
    if not shutil.which("make"):
        pytest.skip("make no está instalado")
    entorno = {**os.environ, "MAKEFLAGS": ""}
    ordenes = subprocess.run(
        ["make", "-n", "-W", "requirements.txt", "test"],
        cwd=ROOT,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.splitlines()
    indice = {orden: i for i, orden in enumerate(ordenes)}
    instalar = next(i for o, i in indice.items() if "tools/instalar_chromium.sh" in o)
    pytest_ = next(i for o, i in indice.items() if "-m pytest" in o)
    assert instalar < pytest_, ordenes
    assert Path(ROOT / ".ci" / "run").read_text().count("apt-get") == 0  # one place installs it: the Makefile
