#!/usr/bin/env bash
# switchinsns.sh: instructions of the stack-switch path per iteration, on
# x86-64 and aarch64, counted the same way for both: `wfxc run` of
# testdata/switch.wat under qemu-user (qemu-x86_64, qemu-aarch64) with
# -singlestep -d exec,nochain, which logs every instruction executed; the
# generated code's instructions are attributed to the object's functions
# (nm of the object compiled for that target), and the difference
# between N2 and N1 iterations, divided by N2-N1, is the cost of one.
#
#   make switch-insns      (from the repository root)
#
# roundtrips: resume + suspend + the loop (the suspend/resume micro
# benchmark's shape); contnews: cont.new + resume + return; calls: an
# empty call, the baseline.
set -euo pipefail
cd "$(dirname "$0")/../.."
wat=lower/aarch64/testdata/switch.wat
n1=${N1:-1000} n2=${N2:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/wfxc-amd64" ./cmd/wfxc
GOARCH=arm64 go build -o "$tmp/wfxc-arm64" ./cmd/wfxc

# pcs QEMU WFXC EXPORT N: "pc count" for every instruction executed outside
# the wfxc binary (no symbol), i.e. in generated code (and qemu's signal
# trampoline).
pcs() {
	GOGC=off GOMAXPROCS=1 "$1" -singlestep -d exec,nochain "$2" run "$wat" --invoke "$3" "$4" 2>&1 >/dev/null |
		awk '/^Trace/ && NF == 4 { split($4, f, "/"); c[f[2]]++ } END { for (k in c) print k, c[k] }'
}

# perfunc PCS NM: instructions per function of the object: the generated
# code is the cluster of pcs with the most executions; its page is the
# object's offset 0.
perfunc() {
	awk -v nmfile="$2" '
	function hex(s,  i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
	BEGIN { while ((getline l < nmfile) > 0) { split(l, a, " "); if (a[2] ~ /^[tT]$/ && a[3] !~ /_text$/) { ns++; off[ns] = hex(a[1]); name[ns] = a[3] } } }
	{ n++; pc[n] = hex($1); cnt[n] = $2 }
	END {
		# sort pcs (insertion sort; a few hundred)
		for (i = 2; i <= n; i++) { p = pc[i]; c = cnt[i]; for (j = i - 1; j >= 1 && pc[j] > p; j--) { pc[j+1] = pc[j]; cnt[j+1] = cnt[j] } pc[j+1] = p; cnt[j+1] = c }
		best = 0; start = 1; tot = 0
		for (i = 1; i <= n + 1; i++) {
			if (i > n || (i > start && pc[i] - pc[i-1] > 65536)) {
				if (tot > best) { best = tot; bs = start; be = i - 1 }
				start = i; tot = 0
			}
			if (i <= n) tot += cnt[i]
		}
		base = pc[bs] - pc[bs] % 4096
		for (i = bs; i <= be; i++) {
			o = pc[i] - base; f = "?"
			for (k = 1; k <= ns; k++) if (off[k] <= o) f = name[k]
			by[f] += cnt[i]
		}
		for (f in by) { g = f; sub(/^wfx_switch[._]/, "", g); print g, by[f] }
	}' "$1"
}

for arch in x86_64 aarch64; do
	case $arch in
	x86_64) qemu=qemu-x86_64 wfxc=$tmp/wfxc-amd64 ;;
	aarch64) qemu=qemu-aarch64 wfxc=$tmp/wfxc-arm64 ;;
	esac
	"$tmp/wfxc-amd64" "$wat" --target "$arch" -o "$tmp/$arch.o"
	nm -n "$tmp/$arch.o" >"$tmp/$arch.nm"
	for ex in roundtrips contnews calls; do
		for n in $n1 $n2; do
			pcs "$qemu" "$wfxc" "$ex" "$n" >"$tmp/$ex.$n.pcs"
			perfunc "$tmp/$ex.$n.pcs" "$tmp/$arch.nm" | sort >"$tmp/$ex.$n.fn"
		done
		join -a 2 -e 0 -o 0,1.2,2.2 "$tmp/$ex.$n1.fn" "$tmp/$ex.$n2.fn" |
			awk -v arch="$arch" -v ex="$ex" -v d=$((n2 - n1)) '
			{ v = ($3 - $2) / d; if (v >= 0.05) { part = part sprintf(" %s %.1f", $1, v); sum += v } }
			END { printf "%-8s %-10s %6.1f instructions per iteration:%s\n", arch, ex, sum, part }'
	done
done
