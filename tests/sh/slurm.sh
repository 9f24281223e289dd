#!/usr/bin/env bash
# The Slurm recipe for real: a one-node cluster on this machine (its own
# munge key and munged, a slurm.conf for this host and its cores, slurmctld
# and slurmd started here as root and stopped after, even on failure),
# contrib/slurm/submit.sh's array and merge, compared with one run.  Skips,
# saying why, only where Slurm cannot be installed or started.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/shard_lib.sh"
cd "$T" || exit 1

for p in slurmctld slurmd munged sbatch; do
	command -v "$p" >/dev/null || { skip "slurm: $p not installed (make deps installs slurm-wlm and munge)"; exit 0; }
done
[ "$(id -u)" = 0 ] || { skip "slurm: the test cluster's daemons need root"; exit 0; }

# ---- the cluster -------------------------------------------------------------
C=$T/cluster
mkdir -p "$C/munge" "$C/state" "$C/spool"
chmod 700 "$C" "$C/munge"
stop_cluster() {
	local f
	for f in "$C/slurmd.pid" "$C/slurmctld.pid" "$C/munge/munged.pid"; do
		[ -s "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	sleep 1
	for f in "$C/slurmd.pid" "$C/slurmctld.pid" "$C/munge/munged.pid"; do
		[ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
	done
	rm -rf "$T"
}
trap stop_cluster EXIT
host=$(hostname -s)
# Ports of our own, so a Slurm already here is left alone.
port=$((20000 + $$ % 20000))
dd if=/dev/urandom of="$C/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$C/munge/munge.key"
sock=$C/munge/munge.socket.2
cat >"$C/slurm.conf" <<EOF
ClusterName=hotichtest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
StateSaveLocation=$C/state
SlurmdSpoolDir=$C/spool
SlurmctldPidFile=$C/slurmctld.pid
SlurmdPidFile=$C/slurmd.pid
SlurmctldLogFile=$C/slurmctld.log
SlurmdLogFile=$C/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$C/slurm.conf
if ! munged --key-file="$C/munge/munge.key" --socket="$sock" --pid-file="$C/munge/munged.pid" \
	--log-file="$C/munge/munged.log" --seed-file="$C/munge/seed" --force 2>"$C/munged.err"; then
	skip "slurm: munged does not start here ($(tail -1 "$C/munged.err"))"
	exit 0
fi
if ! slurmctld -c -f "$SLURM_CONF" 2>"$C/ctld.err" || ! slurmd -f "$SLURM_CONF" 2>"$C/slurmd.err"; then
	skip "slurm: the daemons do not start here ($(tail -1 "$C/ctld.err" "$C/slurmd.err" | tr '\n' ' '))"
	exit 0
fi
up=0
for _ in $(seq 60); do
	case "$(sinfo -h -o %T 2>/dev/null)" in idle*|mix*) up=1; break ;; esac
	sleep 0.5
done
if [ "$up" = 0 ]; then
	skip "slurm: the node did not come up ($(sinfo -h -o '%T %E' 2>&1 | head -1); $(tail -2 "$C/slurmd.log" 2>/dev/null | tr '\n' ' '))"
	exit 0
fi
ok "a one-node Slurm cluster is up ($host, $(nproc) cores)"

# ---- the recipe against one run ---------------------------------------------------
shard_books books || { skip "slurm: fixtures not built"; exit 0; }
single books one
rm -f main.db*
"$HOTICH" import-existing --db main.db --kind ks books/existing.csv >/dev/null 2>&1
export HOTICH HOTICH_DATA
if ! ids=$("$TOP/contrib/slurm/submit.sh" "$T/books" "$T/shards" "$T/main.db" 3 2>submit.err); then
	notok "submit.sh queues the array and the merge ($(cat submit.err))"
	exit 0
fi
read -r array merge <<<"$ids"
ok "submit.sh queued array $array and merge $merge"
check "the merge waits for the array (afterok)" bash -c "scontrol show job $merge | grep -q 'Dependency=afterok:${array}'"
for _ in $(seq 600); do
	[ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
	sleep 0.5
done
check "the array and the merge finished" [ -z "$(squeue -h -o %i)" ]
state=$(scontrol show job "$merge" 2>/dev/null | grep -o 'JobState=[A-Z]*')
check "the merge completed ($state; $(tail -2 hotich-merge-*.log 2>/dev/null | tr '\n' ' '))" [ "$state" = JobState=COMPLETED ]
check "3 shards moved into place, none half-written" [ "$(ls shards/*.db shards/.*.part 2>/dev/null | wc -l)" -eq 3 ]
check "each task took its own share" [ "$(for d in shards/*.db; do sqlite3 "$d" "SELECT value FROM meta WHERE key = 'shard'"; done | sort | tr '\n' ' ')" = "1/3 2/3 3/3 " ]
# The merge job ran dedup; `same` compares as the GNU parallel test does.
same one main "slurm"
