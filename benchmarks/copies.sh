#!/usr/bin/env bash
# N scans from the `blankett synth` scans in BASE, for a soak longer than the synthesis one can
# afford: the base scans (hard-linked), then copy 1, 2, … of each until there are N. A copy of a
# PNG has a tEXt chunk ("Comment", "blankett copy K") before its IEND, so it is another file with
# another SHA-256 but the same pixels and the same reading; a file that does not end in IEND (the
# refused ones: cut off, JPEG, text) gets the chunk's bytes appended and stays refused. truth.jsonl
# gets a line per copy, the base line with the copy's file name.
#
#   benchmarks/copies.sh BASE OUT N
set -euo pipefail
export LC_ALL=C
base=$1 out=$2 n=$3
mkdir -p "$out"
iend='0000000049454e44ae426082'
mapfile -t files < <(cd "$base" && ls -- *.png)
(( ${#files[@]} > 0 )) || { echo "copies.sh: no scans in $base" >&2; exit 1; }
declare -A truth
while IFS= read -r line; do
    [[ $line =~ \"file\":\"([^\"]+)\" ]] && truth[${BASH_REMATCH[1]}]=$line
done < "$base/truth.jsonl"
ends_in_iend=()
for f in "${files[@]}"; do
    [[ $(tail -c 12 "$base/$f" | od -An -tx1 | tr -d ' \n') == "$iend" ]] && ends_in_iend+=(1) || ends_in_iend+=(0)
done

# The chunk of copy K: length, type and data, and the CRC-32 of type and data (PNG's CRC is
# gzip's, which gzip stores little-endian in its trailer).
chunk() {
    local body=$out/.chunk-body
    { printf 'tEXt'; printf 'Comment\0blankett copy %d' "$1"; } > "$body"
    local length=$(( $(wc -c < "$body") - 4 ))
    local crc
    read -r -a crc < <(gzip -c < "$body" | tail -c 8 | head -c 4 | od -An -tx1)
    printf "\\x00\\x00\\x00\\x$(printf %02x "$length")"
    cat "$body"
    printf "\\x${crc[3]}\\x${crc[2]}\\x${crc[1]}\\x${crc[0]}"
    rm -f "$body"
}

: > "$out/truth.jsonl"
made=0 copy=0
while (( made < n )); do
    (( copy == 0 )) || chunk "$copy" > "$out/.chunk"
    for i in "${!files[@]}"; do
        (( made < n )) || break
        f=${files[i]}
        name=${f%.png}-copy-$copy.png
        if (( copy == 0 )); then
            cp -l -- "$base/$f" "$out/$name" 2>/dev/null || cp -- "$base/$f" "$out/$name"
        elif (( ends_in_iend[i] )); then
            size=$(stat -c %s "$base/$f")
            { head -c $(( size - 12 )) "$base/$f"; cat "$out/.chunk"; tail -c 12 "$base/$f"; } > "$out/$name"
        else
            cat "$base/$f" "$out/.chunk" > "$out/$name"
        fi
        echo "${truth[$f]//\"file\":\"$f\"/\"file\":\"$name\"}" >> "$out/truth.jsonl"
        made=$(( made + 1 ))
    done
    copy=$(( copy + 1 ))
done
rm -f "$out/.chunk"
