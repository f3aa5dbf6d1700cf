#!/usr/bin/env bash
# The Debian package (docs/packaging.md): builds it with cpack from the build tree, checks its
# metadata and file list, validates the desktop entry and the AppStream metainfo, unpacks it into
# a temporary root, and runs the unpacked programs from another directory: colossus-ingest writes
# the inventory of the installed `small` campus, colossus-sim records a short store of it,
# colossus-twin takes a screenshot of it (needs an X display: scripts/test runs ctest under
# xvfb-run), and the picture must show the campus.
# Registered in tests/CMakeLists.txt:
#   test_package.sh BUILD_DIR VERSION PICTURE_CHECK CPACK SOURCE_DIR
# TEST_PACKAGE_KEEP=DIR keeps the .deb and the screenshot in DIR. Leaves nothing else behind.
set -euo pipefail
[ $# -eq 5 ] || { echo "usage: $0 BUILD_DIR VERSION PICTURE_CHECK CPACK SOURCE_DIR" >&2; exit 2; }
build=$1 version=$2 check=$3 cpack=$4 source=$5

work=$(mktemp -d "${TMPDIR:-/tmp}/colossus-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
work=$(cd "$work" && pwd -P)   # the programs see their own folder with links resolved

fail() { echo "test_package: FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

arch=$(dpkg --print-architecture)
deb_name="colossus-twin_${version}_${arch}.deb"

step "cpack -G DEB"
started=$SECONDS
"$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
deb="$work/out/$deb_name"
[ -f "$deb" ] || { ls -l "$work/out"; fail "cpack made no $deb_name"; }
echo "$deb_name: $(stat -c %s "$deb") bytes in $((SECONDS - started)) s"

step "metadata (dpkg-deb -I)"
dpkg-deb -I "$deb"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = colossus-twin ] || fail "Package: '$(field Package)', expected colossus-twin"
[ "$(field Version)" = "$version" ] || fail "Version: '$(field Version)', expected $version (CMake project version)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture: '$(field Architecture)', expected $arch"
for f in Maintainer Description Section Installed-Size; do
  [ -n "$(field "$f")" ] || fail "no $f field"
done
depends=$(field Depends)
[ -n "$depends" ] || fail "Depends is empty (dpkg-shlibdeps did not run?)"
# What the binaries link: dpkg-shlibdeps names the packages, with versions.
for lib in libc6 libstdc++6 libqt6core6 libqt6gui6 libqt6widgets6 libqt6openglwidgets6 libsqlite3-0 libzstd1 \
  libopenscenegraph libvtk9; do
  found=""
  IFS=',' read -ra entries <<<"$depends"
  for entry in "${entries[@]}"; do
    entry=${entry# }
    [[ "$entry" == "$lib"*" (>= "*")" ]] && found=$entry
  done
  [ -n "$found" ] || fail "Depends lacks a versioned $lib: $depends"
done
grep -q fonts-dejavu-core <<<"$(field Recommends)" || fail "Recommends lacks fonts-dejavu-core"

step "files (dpkg-deb -c)"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' | sort >"$work/files"
want=(
  /usr/bin/colossus-twin
  /usr/bin/colossus-sim
  /usr/bin/colossus-ingest
  /usr/share/applications/colossus-twin.desktop
  /usr/share/icons/hicolor/scalable/apps/colossus-twin.svg
  /usr/share/man/man1/colossus-twin.1.gz
  /usr/share/man/man1/colossus-sim.1.gz
  /usr/share/man/man1/colossus-ingest.1.gz
  /usr/share/doc/colossus-twin/README.md
)
for size in 48 64 128 256; do want+=("/usr/share/icons/hicolor/${size}x${size}/apps/colossus-twin.png"); done
# Every file of the source tree's data/ (campus files, scenarios, assets).
while IFS= read -r f; do want+=("/usr/share/colossus-twin/${f#"$source/data/"}"); done \
  < <(find "$source/data" -type f | sort)
for f in "${want[@]}"; do grep -qxF "$f" "$work/files" || fail "the package lacks $f"; done
grep -qx '/usr/share/colossus-twin/sites/small.json' "$work/files" || fail "no sites/small.json"
[ "$(grep -c '^/usr/share/colossus-twin/scenarios/.*\.json$' "$work/files")" -ge 7 ] || fail "scenarios missing"
metainfo=$(grep -E '^/usr/share/metainfo/[^/]+\.metainfo\.xml$' "$work/files") || fail "no AppStream metainfo"
[ "$(wc -l <<<"$metainfo")" -eq 1 ] || fail "more than one metainfo file: $metainfo"
# Programs in /usr/bin are the three commands and nothing else (no tests, no benchmarks); every
# file is under /usr/bin or /usr/share.
bins=$(grep -E '^/usr/bin/[^/]+$' "$work/files" | tr '\n' ' ')
[ "$bins" = "/usr/bin/colossus-ingest /usr/bin/colossus-sim /usr/bin/colossus-twin " ] || fail "/usr/bin holds: $bins"
stray=$(grep -vE '/$|^/usr/bin/|^/usr/share/' "$work/files" || true)
[ -z "$stray" ] || fail "files outside /usr/bin and /usr/share: $stray"
echo "$(grep -vc '/$' "$work/files") files"

step "unpack (dpkg-deb -x) and check what was unpacked"
root="$work/root"
dpkg-deb -x "$deb" "$root"
for prog in colossus-sim colossus-twin colossus-ingest; do
  file -b "$root/usr/bin/$prog" | grep -q '^ELF 64-bit.*, stripped' || fail "$prog is not a stripped ELF program"
done
for size in 48 64 128 256; do
  png="$root/usr/share/icons/hicolor/${size}x${size}/apps/colossus-twin.png"
  file -b "$png" | grep -q "^PNG image data, $size x $size," || fail "$png: $(file -b "$png")"
done
"$check" "$root/usr/share/icons/hicolor/256x256/apps/colossus-twin.png" --size 256x256 --min-colours 50 \
  --min-saturated 5 || fail "the 256x256 icon looks empty"
appstreamcli validate --no-net "$root$metainfo" || fail "appstreamcli validate rejects $metainfo"
desktop-file-validate "$root/usr/share/applications/colossus-twin.desktop" || fail "desktop-file-validate rejects the desktop entry"
grep -qx 'Exec=colossus-twin %f' "$root/usr/share/applications/colossus-twin.desktop" || fail "desktop entry Exec"
grep -qx 'Icon=colossus-twin' "$root/usr/share/applications/colossus-twin.desktop" || fail "desktop entry Icon"
grep -q "<release version=\"$version\"" "$root$metainfo" || fail "the metainfo's release is not $version"
grep -q '<launchable type="desktop-id">colossus-twin.desktop</launchable>' "$root$metainfo" || fail "metainfo launchable"

# Every command prints the project version; its man page says it too and names every option of --help.
elsewhere="$work/elsewhere"   # a current directory with no data in it
mkdir "$elsewhere"
cd "$elsewhere"
unset COLOSSUS_TWIN_DATA_DIR
for prog in colossus-sim colossus-twin colossus-ingest; do
  out=$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/$prog" --version) || fail "$prog --version failed"
  [ "$out" = "$prog $version" ] || fail "$prog --version printed '$out', expected '$prog $version'"
  man="$root/usr/share/man/man1/$prog.1.gz"
  gzip -t "$man" || fail "$man is not gzip"
  zcat "$man" >"$work/$prog.1"
  grep -Eq "^\.TH ${prog^^} 1 \"[0-9]{4}-[0-9]{2}-[0-9]{2}\" \"colossus-twin $version\"" "$work/$prog.1" ||
    fail "$prog.1: no .TH line with version $version"
  QT_QPA_PLATFORM=offscreen "$root/usr/bin/$prog" --help >"$work/$prog.help" || fail "$prog --help failed"
  options=$(grep -oE -- '--[a-z][a-z-]+' "$work/$prog.help" | sort -u)
  [ "$(wc -l <<<"$options")" -ge 5 ] || fail "$prog --help lists too few options"
  for option in $options; do
    grep -qF -- "${option//-/\\-}" "$work/$prog.1" || fail "$prog.1 does not mention $option (from --help)"
  done
done
echo "all three print $version; the man pages cover every --help option"

step "the unpacked colossus-sim uses the unpacked data"
listing=$("$root/usr/bin/colossus-sim" --list-sites) || fail "colossus-sim --list-sites failed"
echo "$listing" | head -4
[ "$(head -1 <<<"$listing")" = "Data directory: $root/usr/share/colossus-twin" ] ||
  fail "colossus-sim uses '$(head -1 <<<"$listing")', expected the unpacked $root/usr/share/colossus-twin"
grep -Eq "^  small +$root/usr/share/colossus-twin/sites/small.json$" <<<"$listing" || fail "--list-sites lacks small"

step "the unpacked colossus-ingest uses the unpacked data"
"$root/usr/bin/colossus-ingest" --write-inventory inventory.csv --site small >"$work/ingest.out" ||
  fail "the unpacked colossus-ingest --write-inventory failed: $(cat "$work/ingest.out")"
grep -q '^wrote inventory.csv: 59 hosts, 472 GPUs' "$work/ingest.out" || fail "colossus-ingest said: $(cat "$work/ingest.out")"
[ "$(head -1 inventory.csv)" = "host,rack,first_slot,gpus" ] && [ "$(wc -l <inventory.csv)" -eq 60 ] ||
  fail "inventory.csv: $(head -2 inventory.csv)"

step "colossus-sim --site small (a name, from $elsewhere)"
"$root/usr/bin/colossus-sim" --site small --scenario turbine-trip --duration 20 --out trip.twin ||
  fail "the unpacked colossus-sim failed"
[ -s trip.twin ] || fail "no store written"

step "colossus-twin trip.twin --screenshot out.png --size 640x360"
[ -n "${DISPLAY:-}" ] || fail "no X display (run under xvfb-run, as scripts/test does)"
"$root/usr/bin/colossus-twin" trip.twin --at +15 --screenshot out.png --size 640x360 ||
  fail "the unpacked colossus-twin failed to take a screenshot"
file -b out.png | grep -q '^PNG image data, 640 x 360,' || fail "out.png: $(file -b out.png)"
"$check" out.png --size 640x360 --min-colours 200 --min-foreground 30 --min-saturated 0.5 ||
  fail "the screenshot does not show the campus"

if [ -n "${TEST_PACKAGE_KEEP:-}" ]; then
  mkdir -p "$TEST_PACKAGE_KEEP"
  cp "$deb" out.png "$TEST_PACKAGE_KEEP/"
  echo "kept $deb_name and out.png in $TEST_PACKAGE_KEEP"
fi
echo "test_package: PASS"
