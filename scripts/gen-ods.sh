#!/usr/bin/env bash
# Writes the OpenDocument fixtures with LibreOffice Calc, so the .ods reader is tested on files a
# real spreadsheet program wrote (its XML layout, repeated rows, error markers, named ranges).
#
#   apt-get install -y --no-install-recommends libreoffice-calc-nogui
#   scripts/gen-ods.sh
#
# Each listed .xlsx fixture becomes testdata/workbooks/<name>.ods (recalculated on load, so the
# .ods carries LibreOffice's own results), and scripts/ods/value-types.fods, hand-written to cover
# currency, percentage, date and boolean cells and sheet-local names and named expressions, is
# saved by LibreOffice as testdata/workbooks/value-types.ods.
set -euo pipefail

cd "$(dirname "$0")/.."
out=testdata/workbooks
inputs=(good-basic sheet-scoped quoted-sheet duplicate-names no-cache text-numbers error-cells booleans
	empty-cell ref-range ref-deleted ref-missing-sheet ref-formula missing-name box3-box5-missing custom-names)

command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y --no-install-recommends libreoffice-calc-nogui" >&2; exit 1; }

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
	cp "$out/$in.xlsx" "$work/"
done
cp scripts/ods/value-types.fods "$work/"
(cd "$work" && soffice -env:UserInstallation="file://$profile" --headless --calc \
	--convert-to ods --outdir out ./*.xlsx ./*.fods >/dev/null)
for in in "${inputs[@]}" value-types; do
	mv "$work/out/$in.ods" "$out/$in.ods"
	echo "wrote $out/$in.ods"
done
