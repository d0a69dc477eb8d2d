#!/bin/sh
# Compares sessiondesk-cli with the sqlite3 shell on a synthetic 1,000,000-entity Telethon file:
#   inspect --json            vs  sqlite3 computing the same three peer counts
#   peers --search T --json   vs  sqlite3 -json running the equivalent LIKE query
# Prints each pair's best-of-3 wall time and the ratio; exits 1 when a ratio exceeds 1.5.
# usage: tests/tools/bench-telethon-sqlite.sh PATH/TO/sessiondesk-cli [N] [SEARCH...]
set -eu
cli=${1:?usage: $0 sessiondesk-cli [N] [SEARCH...]}
n=${2:-1000000}
[ $# -ge 2 ] && shift 2 || shift $#
[ $# -gt 0 ] || set -- abc1 user1a
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/big.session"
python3 "$here/make_big_telethon.py" "$db" "$n"

best() { # best wall time (seconds) of 3 runs of "$@", output discarded
    b=
    for _ in 1 2 3; do
        s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc)
        if [ -z "$b" ] || [ "$(echo "$t < $b" | bc)" = 1 ]; then b=$t; fi
    done
    echo "$b"
}
fail=0
compare() { # label ours theirs
    r=$(echo "scale=2; $2 / $3" | bc)
    printf '%-28s sessiondesk %6.3fs  sqlite3 %6.3fs  ratio %s\n' "$1" "$2" "$3" "$r"
    if [ "$(echo "$r > 1.5" | bc)" = 1 ]; then fail=1; fi
}
ours=$(best "$cli" inspect "$db" --json)
theirs=$(best sqlite3 "$db" "SELECT sum(id > 0), sum(id < 0 AND id > -1000000000000), sum(id < -1000000000000) FROM entities")
compare "inspect" "$ours" "$theirs"
for t in "$@"; do
    ours=$(best "$cli" peers "$db" --search "$t" --json)
    theirs=$(best sqlite3 -json "$db" "SELECT * FROM entities WHERE id <> 0 AND (id LIKE '%$t%' OR username LIKE '%$t%' OR phone LIKE '%$t%' OR name LIKE '%$t%')")
    compare "peers --search $t" "$ours" "$theirs"
done
exit $fail
