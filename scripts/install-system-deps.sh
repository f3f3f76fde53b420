#!/usr/bin/env bash
# Installs the system packages the test suite talks to: Dovecot (real IMAP server for the
# pipeline tests), LibreOffice (legacy .doc/.xls conversion, workbook check; with the
# Liberation fonts for the workbook's print), Chromium (renders the summary email), openssl
# (test certificates), poppler-utils (pdftotext reads the drafted district report) and bsdtar
# (.rar attachments). Only what is missing; only as root on Debian.
set -euo pipefail
need=()
command -v dovecot >/dev/null 2>&1 || need+=(dovecot-imapd)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Liberation Serif, metric-compatible with Times New Roman: the printed workbook's font, so
# LibreOffice lays it out (and the print tests measure it) as Excel does on the office's PC.
fc-list 2>/dev/null | grep -q "Liberation Serif" || need+=(fonts-liberation2)
# The TLS fixtures make a throwaway self-signed certificate with the openssl command.
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# The district report tests turn the drafted .docx into PDF and read its text with pdftotext.
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# Compressed .rar attachments are unpacked by bsdtar (libarchive); Debian main has no unrar.
command -v bsdtar >/dev/null 2>&1 || need+=(libarchive-tools)
if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "mailbot: missing ${need[*]}; install them (Debian: apt-get install ${need[*]})." >&2
    echo "mailbot: the tests that need them will be skipped." >&2
    exit 0
fi
echo "mailbot: installing ${need[*]} ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# The Debian package starts a system Dovecot on port 143; the tests run their own instances.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now dovecot >/dev/null 2>&1 || true; fi
