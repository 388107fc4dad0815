#!/usr/bin/env bash
# Installs the Debian 12 packages reistijd needs to build, test and run
# (clang with its sanitizer runtimes and LLVM's OpenMP runtime: the fuzz and
# ThreadSanitizer builds of scripts/test.sh; OpenMPI: the release build of
# scripts/test.sh has RT_WITH_MPI on and runs reistijd batch under mpirun;
# Slurm and munge: the test batch_slurm starts a Slurm of its own; locales:
# study_test_run makes a Dutch locale with localedef; poppler-utils: the
# report's print test reads Chromium's PDF with pdftotext).
# Idempotent: installs only what is missing; needs root (apt-get).
set -euo pipefail

PKGS=(
  cmake gcc make pkg-config
  libgdal-dev gdal-bin libproj-dev libgeos-dev
  libfyaml-dev libjson-c-dev libssl-dev
  libcmocka-dev valgrind clang-format clang-tidy cppcheck
  pandoc groff-base dpkg-dev
  chromium libxml2-utils poppler-utils
  clang libclang-rt-14-dev libomp-14-dev
  libopenmpi-dev openmpi-bin
  slurm-wlm munge jq locales
)
if [ "${1:-}" = "--print" ]; then
  printf '%s\n' "${PKGS[@]}"
  exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "reistijd: these packages are missing: ${missing[*]}" >&2
  echo "reistijd: run this script as root, or install them with apt-get" >&2
  exit 1
fi
echo "reistijd: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
