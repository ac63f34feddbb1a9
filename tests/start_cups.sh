#!/usr/bin/env bash
# start_cups.sh — prepare a real CUPS server with virtual PDF printers for the
# printing tests of injonctions_tui (tests/cups_printer.py).  Idempotent, quiet
# unless something fails; meant for CI containers (Debian 12, root, no systemd)
# and works when cupsd is already running.  .ci/run calls it before the tests.
#
# What it guarantees when it exits 0:
#   * cups + printer-driver-cups-pdf (+ cups-ipp-utils for ipptool) installed;
#   * cupsd running (started by hand, in the background, if it was not) and
#     answering `lpstat -r`;
#   * VirtuelPDF    : cups-pdf queue, enabled + accepting  -> writes PDF files;
#   * HorsLignePDF  : same driver, DISABLED (accepting)    -> "printer offline";
#   * RefusPDF      : same driver, enabled but REJECTING    -> "job refused";
#   * a system default destination (VirtuelPDF, only if none was set before).
#
# Notes on cups-pdf as root (what was found to work on Debian 12, cups 2.4.2,
# printer-driver-cups-pdf 3.0.1):
#   * The backend /usr/lib/cups/backend/cups-pdf is installed mode 0700 root:
#     CUPS therefore runs it as root (that is on purpose: it must setuid to the
#     job owner).  Jobs submitted by root are written as root, file mode 0600
#     (UserUMask 0077) — nothing special to do for root.
#   * The output folder is configured through a cups-pdf *instance*: device URI
#     `cups-pdf:/virtuel` makes the backend read /etc/cups/cups-pdf-virtuel.conf
#     (and NOT /etc/cups/cups-pdf.conf, whose default `Out ${HOME}/PDF` stays
#     untouched for the distro's own "PDF" queue).  An instance file that is
#     missing falls back to compiled defaults (/var/spool/cups-pdf/${USER}).
#   * The queue uses CUPS-PDF_noopt.ppd on purpose: the "_opt" PPD injects its
#     own defaults (TitlePref 0, Label 2, LogType 7, PDFVer 1.2) as job options
#     that OVERRIDE the .conf file; with "_noopt" the .conf file is authoritative.
#   * TitlePref 1 = name the output after the job title (lp -t).  With the PS
#     title (TitlePref 0) cups-pdf 3.0.1 appends garbage from its read buffer,
#     e.g. "essai__ol_cups-pdf_VirtuelPDF-job_1.pdf".
#   * Label 2 = always suffix "-job_<id>", so output names are
#     <title, lower-cased, special chars -> "_">-job_<cups job number>.pdf
#   * The output folder must exist and be writable by the job owner after the
#     setuid: it is created 1777 (sticky, like cups-pdf's own ANONYMOUS folder).
#   * AppArmor: absent in these containers.  On a host where it is active,
#     /etc/apparmor.d/usr.sbin.cupsd must allow the custom Out folder.
#   * No systemd: `cupsd` (without -f/-l) daemonises itself.  The Debian
#     cupsd.conf has IdleExitTimeout 60 but it only applies to on-demand mode
#     (-l), so the daemon stays up.  After a `kill`, the dead cupsd may remain a
#     zombie in containers whose PID 1 does not reap, so `pgrep cupsd` lies:
#     `lpstat -r` is the only liveness test used here.
#
# Environment overrides:
#   CUPS_PDF_OUT   output folder (default /var/spool/cups-pdf/VirtuelPDF)
set -euo pipefail

OUT_DIR="${CUPS_PDF_OUT:-/var/spool/cups-pdf/VirtuelPDF}"
INSTANCE="virtuel"
INSTANCE_CONF="/etc/cups/cups-pdf-${INSTANCE}.conf"
PRINTER_OK="VirtuelPDF"
PRINTER_OFFLINE="HorsLignePDF"
PRINTER_REJECT="RefusPDF"
export LANG=C LC_ALL=C

log() { [ -n "${CUPS_VERBOSE:-}" ] && printf '[start_cups] %s\n' "$*"; return 0; }
die() { printf '[start_cups] ERREUR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (cupsd + lpadmin)"

# --- 1. packages --------------------------------------------------------------
need_install=0
for bin in cupsd lp lpstat lpadmin cupsenable cupsreject ipptool; do
    command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || need_install=1
done
[ -x /usr/lib/cups/backend/cups-pdf ] || need_install=1
if [ "$need_install" -eq 1 ]; then
    log "installing cups, printer-driver-cups-pdf, cups-ipp-utils (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # --no-install-recommends: avoids avahi-daemon/colord, useless here.
    apt-get install -y -qq --no-install-recommends \
        cups cups-client printer-driver-cups-pdf cups-ipp-utils >/dev/null
fi
export PATH="$PATH:/usr/sbin:/sbin"

PPD=/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd
if [ ! -f "$PPD" ]; then
    # Fall back to whatever `lpinfo -m` knows (needs cupsd, resolved below).
    PPD=""
fi

# --- 2. cups-pdf instance configuration (before the first job) ---------------
mkdir -p "$OUT_DIR"
chmod 1777 "$OUT_DIR"
desired_conf="# Managed by start_cups.sh — cups-pdf instance for URI cups-pdf:/${INSTANCE}
Out ${OUT_DIR}
Label 2
TitlePref 1
LowerCase 1
UserUMask 0077
Grp lpadmin
LogType 3"
if [ ! -f "$INSTANCE_CONF" ] || [ "$(cat "$INSTANCE_CONF")" != "$desired_conf" ]; then
    printf '%s\n' "$desired_conf" > "$INSTANCE_CONF"
    chmod 0644 "$INSTANCE_CONF"
    log "wrote $INSTANCE_CONF"
fi

# --- 3. cupsd -----------------------------------------------------------------
scheduler_running() { lpstat -r 2>/dev/null | grep -qx 'scheduler is running'; }

if scheduler_running; then
    log "cupsd already running"
else
    log "starting cupsd"
    mkdir -p /run/cups /var/spool/cups/tmp /var/log/cups
    # A cupsd killed with -9 leaves /run/cups/cups.sock + cupsd.pid behind;
    # cupsd recreates both, nothing to clean up (checked).
    /usr/sbin/cupsd            # daemonises (no -f); logs: /var/log/cups/error_log
    for _ in $(seq 1 60); do
        scheduler_running && break
        sleep 0.5
    done
    scheduler_running || die "cupsd does not answer (see /var/log/cups/error_log)"
    log "cupsd is answering"
fi

if [ -z "$PPD" ]; then
    model=$(lpinfo -m 2>/dev/null | awk '/CUPS-PDF_noopt\.ppd/ {print $1; exit}')
    [ -n "$model" ] || die "no CUPS-PDF model found by lpinfo -m"
    ppd_args=(-m "$model")
else
    ppd_args=(-P "$PPD")
fi

# --- 4. queues ------------------------------------------------------------------
# lpadmin on an existing queue just updates it, so this is idempotent.  The
# "Printer drivers are deprecated" warning of CUPS 2.4 is harmless; filtered.
make_queue() {  # name description
    lpadmin -p "$1" -v "cups-pdf:/${INSTANCE}" "${ppd_args[@]}" \
        -D "$2" -L "CI" -o printer-is-shared=false 2>&1 \
        | grep -v 'Printer drivers are deprecated' >&2 || true
    lpstat -p "$1" >/dev/null 2>&1 || die "queue $1 was not created"
}

make_queue "$PRINTER_OK" "Imprimante PDF virtuelle (tests)"
cupsenable "$PRINTER_OK"
cupsaccept "$PRINTER_OK"

make_queue "$PRINTER_OFFLINE" "Imprimante virtuelle hors ligne (tests)"
cupsaccept "$PRINTER_OFFLINE"
cupsdisable -r "hors ligne (test)" "$PRINTER_OFFLINE"

make_queue "$PRINTER_REJECT" "Imprimante virtuelle qui refuse les travaux (tests)"
cupsenable "$PRINTER_REJECT"
cupsreject -r "refuse les travaux (test)" "$PRINTER_REJECT"

if lpstat -d 2>/dev/null | grep -q '^no system default destination'; then
    lpadmin -d "$PRINTER_OK"
    log "default destination set to $PRINTER_OK"
fi

# --- 5. check + summary -----------------------------------------------------------
lpstat -p "$PRINTER_OK" | grep -q 'enabled since' || die "$PRINTER_OK not enabled"
lpstat -a "$PRINTER_OK" | grep -q 'accepting requests' || die "$PRINTER_OK not accepting"
lpstat -p "$PRINTER_OFFLINE" | grep -q 'disabled since' || die "$PRINTER_OFFLINE not disabled"
lpstat -a "$PRINTER_REJECT" | grep -q 'not accepting' || die "$PRINTER_REJECT still accepting"

[ -n "${CUPS_VERBOSE:-}" ] && lpstat -d -p -a | sed 's/^/[start_cups]   /'
log "cups-pdf config : $INSTANCE_CONF (URI cups-pdf:/$INSTANCE)"
log "PDF outputs land in: $OUT_DIR/<title>-job_<N>.pdf (owner = job user, mode 0600)"
log "cups-pdf log    : /var/log/cups/cups-pdf-<queue>_log ; cupsd: /var/log/cups/error_log"
