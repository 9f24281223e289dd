#!/usr/bin/awk -f
# Synthetic birth records for the dedup speed test, from the reference lists
# in data/ (surnames with their shares, middle and given names with weights,
# communes).  Writes two CSV files:
#   OUT/existing.csv  N records (STT E1..EN), as a national-database extract
#   OUT/batch.csv     M records; DUPS of them copy an existing record with
#                     typing/OCR damage (STT column = the original's STT, so
#                     the truth travels with the row), the rest are new people
# usage: awk -v DATA=data -v OUT=dir -v N=1000000 -v M=100000 -v DUPS=5000 \
#            -v SEED=1 -f bench/dedup_gen.awk
BEGIN {
	FS = ","
	srand(SEED + 0)
	load_weighted(DATA "/surnames.csv", "S")
	load_sexed(DATA "/names_middle.csv", "m")
	load_sexed(DATA "/names_given.csv", "g")
	while ((getline line < (DATA "/admin_units_2019.csv")) > 0) {
		if (nc++ == 0) continue
		sub(/\r$/, "", line)
		split(line, p, ",")
		commune[nc - 1] = p[2] " - " p[4] " - " p[6]
	}
	nc--
	hdr = "STT,nksHoTen,nksGioiTinh,nksNgaySinh,nksSoDinhDanh,nksNoiSinh,meHoTen,meNgaySinh,chaHoTen"
	ex = OUT "/existing.csv"; ba = OUT "/batch.csv"
	print hdr > ex
	for (i = 1; i <= N; i++) {
		person()
		row = "E" i "," rec
		print row > ex
		if (i <= DUPS) dup[i] = row
	}
	close(ex)
	print hdr > ba
	for (i = 1; i <= M; i++) {
		if (i <= DUPS) { print damage(dup[i]) > ba; continue }
		person()
		print "B" i "," rec > ba
	}
	close(ba)
}
function load_weighted(f, key,    line, p, n, tot) {
	while ((getline line < f) > 0) {
		if (n++ == 0) continue
		sub(/\r$/, "", line)
		split(line, p, ",")
		tot += p[2]
		W[key, n - 1] = p[1]; C[key, n - 1] = tot
	}
	K[key] = n - 1; T[key] = tot
}
function load_sexed(f, key,    line, p, n, s, k) {
	while ((getline line < f) > 0) {
		if (n++ == 0) continue
		sub(/\r$/, "", line)
		split(line, p, ",")
		for (s = 1; s <= 2; s++) {
			if ((s == 1 && p[2] == "F") || (s == 2 && p[2] == "M")) continue
			k = key s
			T[k] += p[3]; K[k]++
			W[k, K[k]] = p[1]; C[k, K[k]] = T[k]
		}
	}
}
function pick(key,    r, lo, hi, mid) {
	r = rand() * T[key]; lo = 1; hi = K[key]
	while (lo < hi) { mid = int((lo + hi) / 2); if (C[key, mid] < r) lo = mid + 1; else hi = mid }
	return W[key, lo]
}
function two(n) { return n < 10 ? "0" n : n }
function person(    sex, y, d, m, id, my) {
	sex = rand() < 0.5 ? 1 : 2
	y = 1940 + int(rand() * 85); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
	id = ""
	if (y >= 2000 && rand() < 0.7)
		id = sprintf("0%02d%d%02d%06d", 1 + int(rand() * 96), sex + 1, y % 100, int(rand() * 1000000))
	my = y - 18 - int(rand() * 22)
	rec = pick("S") " " pick("m" sex) " " pick("g" sex) "," sex "," two(d) "/" two(m) "/" y "," \
	      id "," commune[1 + int(rand() * nc)] "," \
	      pick("S") " Thị " pick("g2") "," my "," pick("S") " " pick("m1") " " pick("g1")
}
# One or two slips a keyer or OCR makes: a lost tone mark, day and month
# swapped, one digit of the ID or the year wrong, the mother's name dropped.
function damage(row,    p, n, k, t) {
	n = split(row, p, ",")
	for (k = 0; k < 1 + int(rand() * 2); k++) {
		t = int(rand() * 5)
		if (t == 0) { gsub(/ễ/, "ê", p[2]); gsub(/ị/, "i", p[2]); gsub(/ư/, "u", p[2]); gsub(/ă/, "a", p[2]) }
		if (t == 1 && substr(p[4], 1, 2) + 0 <= 12) p[4] = substr(p[4], 4, 2) "/" substr(p[4], 1, 2) substr(p[4], 6)
		if (t == 2 && p[5] != "") p[5] = substr(p[5], 1, 5) (substr(p[5], 6, 1) + 1) % 10 substr(p[5], 7)
		if (t == 3) p[4] = substr(p[4], 1, 9) (substr(p[4], 10, 1) + 1) % 10
		if (t == 4) p[8] = ""
	}
	row = p[1]
	for (k = 2; k <= n; k++) row = row "," p[k]
	return row
}
