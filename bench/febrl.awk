#!/usr/bin/awk -f
# FEBRL record-linkage set -> our CSV (birth columns), for import-existing and
# import-batch.  rec_id -> STT (so the truth travels with the record),
# "surname given" -> nksHoTen, yyyymmdd -> nksNgaySinh dd/mm/yyyy,
# soc_sec_id -> nksSoDinhDanh, the address parts -> nksNoiSinh.
# FEBRL fields are separated by ", " and hold no quotes or commas.
BEGIN { FS = ","; OFS = ","; print "STT,nksHoTen,nksNgaySinh,nksSoDinhDanh,nksNoiSinh" }
function trim(s) { gsub(/^[ \t\r]+|[ \t\r]+$/, "", s); return s }
NR == 1 { next }
{
	for (i = 1; i <= NF; i++) f[i] = trim($i)
	name = trim(f[3] " " f[2])
	dob = f[10]
	if (dob ~ /^[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/) dob = substr(dob, 7, 2) "/" substr(dob, 5, 2) "/" substr(dob, 1, 4)
	addr = f[4] " " f[5] " " f[6] " " f[7] " " f[8] " " f[9]
	gsub(/ +/, " ", addr)
	print f[1], name, dob, f[11], trim(addr)
}
