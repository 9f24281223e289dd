#!/bin/sh
# contrib/slurm/submit.sh SCANS OUT MAIN.db N: the run as an array of N
# shard tasks and the merge as a job that waits for all of them to succeed.
# Prints the two job ids.  Extra sbatch options (partition, account) go in
# SBATCH_PARTITION, SBATCH_ACCOUNT and the like, which sbatch reads itself.
set -eu
[ $# -eq 4 ] || { echo "usage: $0 SCANS OUT MAIN.db N" >&2; exit 2; }
scans=$1 out=$2 main=$3 n=$4
here=$(cd "$(dirname "$0")" && pwd)
array=$(sbatch --parsable --array=1-"$n" "$here/shards.sbatch" "$scans" "$out")
array=${array%%;*}
merge=$(sbatch --parsable --dependency=afterok:"$array" "$here/merge.sbatch" "$main" "$out")
echo "$array ${merge%%;*}"
