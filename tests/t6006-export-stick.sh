#!/bin/bash
# t6006: the automatic export.  `ferry export --stick LABEL` (what
# ferry-export@.service runs) mounts the file system of that label, exports
# to it and unmounts it when LABEL is [export] label; a stick with another
# label is not mounted, not written, not even opened.  The unit passes
# systemd-analyze verify; the udev rule starts it for USB file systems,
# named by their escaped label.  The mount part needs root and loop
# devices (a real ext4 image labelled like a stick); without them it is
# skipped, said so.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
setup_trash

# --- the unit and the rule --------------------------------------------------

UNIT=$top_builddir/systemd/ferry-export@.service
RULE=$top_srcdir/systemd/90-ferry-export.rules
file_exists "$UNIT" "the template unit is built"
like "$(cat "$UNIT")" "ExecStart=[^ ]*/ferry -c [^ ]*/ferry/ferry.conf export --stick %I" \
    "it runs ferry export --stick with the instance's label"
if command -v systemd-analyze >/dev/null 2>&1; then
	sed -E "s|^(ExecStart=)[^ ]*/ferry |\\1$FERRY |" "$UNIT" \
	    >"ferry-export@.service"
	cp "ferry-export@.service" "ferry-export@FERRYUSB.service"
	cmd_exits 0 "systemd-analyze verify accepts an instance" \
	    systemd-analyze verify --man=no ./ferry-export@FERRYUSB.service
	is "$STDOUT$STDERR" "" "without a warning"
else
	skip "systemd-analyze verify of the template unit" \
	    "systemd-analyze is not installed"
fi
rule=$(tr -d '\\\n' <"$RULE")
like "$rule" 'ACTION=="add", SUBSYSTEM=="block", ENV\{ID_BUS\}=="usb"' \
    "the rule fires when a USB block device appears"
like "$rule" 'ENV\{ID_FS_USAGE\}=="filesystem"' "with a file system"
like "$rule" 'SYSTEMD_WANTS\}\+="ferry-export@\$env\{ID_FS_LABEL_ENC\}\.service"' \
    "and starts ferry-export@ with the escaped label"

# --- a real file system with a label ------------------------------------------

if [ "$(id -u)" != 0 ] || ! command -v mkfs.ext4 >/dev/null 2>&1 ||
    ! command -v losetup >/dev/null 2>&1; then
	skip "export to a labelled stick" "needs root, mkfs.ext4 and losetup"
	done_testing
	exit 0
fi

rig_start
write_conf ferry.conf
ferry keygen ferry.key >/dev/null || bail_out "no key"
cat >>ferry.conf <<EOF
[export]
	key = ferry.key
	label = FERRY USB
EOF
ok_cmd "a first sync" ferry -c ferry.conf sync || bail_out "no mirror"

truncate -s 64M stick.img other.img
mkfs.ext4 -q -L "FERRY USB" stick.img
mkfs.ext4 -q -L "PHOTOS" other.img
loop=$(losetup -f --show stick.img 2>/dev/null)
loop2=$(losetup -f --show other.img 2>/dev/null)
if [ -z "$loop" ] || [ -z "$loop2" ]; then
	skip "export to a labelled stick" "no loop device"
	done_testing
	exit 0
fi
at_exit "losetup -d $loop $loop2 2>/dev/null"
mkdir -p by-label run mnt
ln -s "$loop" 'by-label/FERRY\x20USB'
ln -s "$loop2" by-label/PHOTOS
export FERRY_BY_LABEL_DIR=$PWD/by-label RUNTIME_DIRECTORY=$PWD/run

before=$(sha256sum <other.img)
cmd_exits 0 "a stick with another label: exit 0" \
    ferry -c ferry.conf export --stick PHOTOS
like "$STDOUT" "stick 'PHOTOS' is not labelled 'FERRY USB' .*not touched" \
    "it says the stick is not touched"
is "$(sha256sum <other.img)" "$before" "and the other stick is unchanged"
unlike "$(cat /proc/mounts)" "$loop2" "it was never mounted"

cmd_exits 0 "the stick labelled 'FERRY USB' is exported to" \
    ferry -c ferry.conf export --stick "FERRY USB"
like "$STDOUT" "exported [0-9a-f]{12} \\(sequence 1\\) to FERRY USB" \
    "it says what was exported"
unlike "$(cat /proc/mounts)" "$loop" "the stick is unmounted afterwards"
is "$(ls run)" "" "its mount point is gone"

mount -o ro "$loop" mnt || bail_out "cannot mount the stick to check it"
at_exit "umount $PWD/mnt 2>/dev/null"
cmd_exits 0 "ferry verify accepts what was written" \
    ferry verify --key ferry.pub mnt
like "$STDOUT" "complete, signed by key" "complete and signed"
is "$(sed -n 's/^commit //p' mnt/MANIFEST)" \
    "$(git -C mirror rev-parse HEAD)" "the stick holds the mirror's HEAD"
umount mnt

cmd_exits 1 "a stick that is missing is an error" \
    env FERRY_BY_LABEL_DIR="$PWD/nowhere" \
    "$FERRY" -c ferry.conf export --stick "FERRY USB"
like "$STDERR" "no file system labelled 'FERRY USB'" "it says which label"

done_testing
