#!/usr/bin/env bash
# Converts generated fixtures with LibreOffice Calc so the test suite also covers files written by
# a real spreadsheet program, which (unlike excelize) stores cached formula results.
#
#   apt-get install -y --no-install-recommends libreoffice-calc
#   go run ./scripts/gen-workbooks && scripts/gen-libreoffice.sh
#
# Outputs testdata/workbooks/lo-<input>.xlsx. LibreOffice only recalculates OOXML formulas on load
# when told to, so a throw-away profile sets Calc's "recalculate on load" for Excel files to
# "always"; without it the converted files would keep the inputs' missing cached values.
set -euo pipefail

cd "$(dirname "$0")/.."
out=testdata/workbooks
inputs=(template.xlsx no-cache.xlsx good-basic.xlsx text-numbers.xlsx)

command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y --no-install-recommends libreoffice-calc" >&2; exit 1; }

profile=$(mktemp -d)
work=$(mktemp -d)
trap 'rm -rf "$profile" "$work"' EXIT
mkdir -p "$profile/user"
cat >"$profile/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
XCU

for in in "${inputs[@]}"; do
	cp "$out/$in" "$work/lo-$in"
done
# Convert in a subdirectory: soffice names each output after its input.
mkdir -p "$work/out"
(cd "$work" && soffice -env:UserInstallation="file://$profile" --headless --calc \
	--convert-to xlsx:"Calc MS Excel 2007 XML" --outdir out lo-*.xlsx >/dev/null)
for in in "${inputs[@]}"; do
	mv "$work/out/lo-$in" "$out/lo-$in"
	echo "wrote $out/lo-$in"
done
