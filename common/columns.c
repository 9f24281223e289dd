/* Export columns of the import template (generated from the spec's columns-*.txt lists). */
#include "common/record.h"

static const char *const cols_ks[] = {
	"STT",
	"so",
	"quyenSo",
	"trangSo",
	"ngayDangKy",
	"loaiDangKy",
	"noiDangKy",
	"nguoiKy",
	"chucVuNguoiKy",
	"nguoiThucHien",
	"ghiChu",
	"nksSoDinhDanh",
	"nksHoTen",
	"nksGioiTinh",
	"nksNgaySinh",
	"nksNgaySinhBangChu",
	"nksNoiSinh",
	"nksNoiSinhDVHC",
	"nksQueQuan",
	"nksDanToc",
	"nksQuocTich",
	"nksQuocTichStr",
	"nksQuocTichKhac",
	"nksQuocTichKhacStr",
	"nksLoaiKhaiSinh",
	"nksMatTich",
	"nksMatTichNgayGhiChuTuyenBo",
	"nksMatTichCanCuTuyenBo",
	"nksMatTichNgayGhiChuHuyTuyenBo",
	"nksMatTichCanCuHuyTuyenBo",
	"nksHanCheNangLucHanhVi",
	"nksHanCheNangLucHanhViNgayGhiChuTuyenBo",
	"nksHanCheNangLucHanhViCanCuTuyenBo",
	"nksHanCheNangLucHanhViNgayGhiChuHuyTuyenBo",
	"nksHanCheNangLucHanhViNgayCanCuHuyTuyenBo",
	"meSoDinhDanhCaNhan",
	"meHoTen",
	"meNgaySinh",
	"meDanToc",
	"meQuocTich",
	"meQuocTichStr",
	"meQuocTichKhac",
	"meQuocTichKhacStr",
	"meLoaiCuTru",
	"meNoiCuTru",
	"meLoaiGiayToTuyThan",
	"meSoGiayToTuyThan",
	"chaSoDinhDanhCaNhan",
	"chaHoTen",
	"chaNgaySinh",
	"chaDanToc",
	"chaQuocTich",
	"chaQuocTichStr",
	"chaQuocTichKhac",
	"chaQuocTichKhacStr",
	"chaLoaiCuTru",
	"chaNoiCuTru",
	"chaLoaiGiayToTuyThan",
	"chaSoGiayToTuyThan",
	"nycHoTen",
	"nycQuanHe",
	"nycLoaiGiayToTuyThan",
	"nycGiayToKhac",
	"nycSoGiayToTuyThan",
	"nycNgayCapGiayToTuyThan",
	"nycNoiCapGiayToTuyThan",
	"soDangKyNuocNgoai",
	"ngayDangKyNuocNgoai",
	"cqNuocNgoaiDaDangKy",
	"qgNuocNgoaiDaDangKy",
};
static const char *const cols_kh[] = {
	"so",
	"quyenSo",
	"trangSo",
	"ngayDangKy",
	"loaiDangKy",
	"noiDangKy",
	"nguoiKy",
	"chucVuNguoiKy",
	"ngayXacLapQuanHeHonNhan",
	"nguoiThucHien",
	"ghiChu",
	"tinhTrangKetHon",
	"huyKetHonNgayGhiChu",
	"huyKetHonCanCu",
	"congNhanKetHonNgayGhiChu",
	"congNhanKetHonCanCu",
	"chongHoTen",
	"chongNgaySinh",
	"chongDanToc",
	"chongQuocTich",
	"chongQuocTichKhac",
	"chongLoaiCuTru",
	"chongNoiCuTru",
	"chongLoaiGiayToTuyThan",
	"chongGiayToKhac",
	"chongSoGiayToTuyThan",
	"chongNgayCapGiayToTuyThan",
	"chongNoiCapGiayToTuyThan",
	"voHoTen",
	"voNgaySinh",
	"voDanToc",
	"voQuocTich",
	"voQuocTichKhac",
	"voLoaiCuTru",
	"voNoiCuTru",
	"voLoaiGiayToTuyThan",
	"voGiayToKhac",
	"voSoGiayToTuyThan",
	"voNgayCapGiayToTuyThan",
	"voNoiCapGiayToTuyThan",
	"soDangKyNuocNgoai",
	"ngayDangKyNuocNgoai",
	"cqNuocNgoaiDaDangKy",
	"qgNuocNgoaiDaDangKy",
};
static const char *const cols_kt[] = {
	"so",
	"quyenSo",
	"trangSo",
	"ngayDangKy",
	"loaiDangKy",
	"noiDangKy",
	"nguoiKy",
	"chucVuNguoiKy",
	"nguoiThucHien",
	"ghiChu",
	"nktHoTen",
	"nktGioiTinh",
	"nktNgaySinh",
	"nktDanToc",
	"nktQuocTich",
	"nktQuocTichKhac",
	"nktLoaiCuTru",
	"nktNoiCuTru",
	"nktLoaiGiayToTuyThan",
	"nktGiayToKhac",
	"nktSoGiayToTuyThan",
	"nktNgayCapGiayToTuyThan",
	"nktNoiCapGiayToTuyThan",
	"nktNgayChet",
	"nktNgayChetGhiBangChu",
	"nktGioPhutChet",
	"nktNoiChet",
	"nktNguyenNhanChet",
	"nktTinhTrangTuyenBoViecChet",
	"nktNgayGhiChuTuyenBoViecChet",
	"nktCanCuTuyenBoViecChet",
	"nktNgayGhiChuHuyTuyenBoViecChet",
	"nktCanCuHuyTuyenBoViecChet",
	"gbtLoai",
	"gbtSo",
	"gbtNgay",
	"gbtCoQuanCap",
	"nycHoTen",
	"nycQuanHe",
	"nycLoaiGiayToTuyThan",
	"nycGiayToKhac",
	"nycSoGiayToTuyThan",
	"nycNgayCapGiayToTuyThan",
	"nycNoiCapGiayToTuyThan",
	"soDangKyNuocNgoai",
	"ngayDangKyNuocNgoai",
	"cqNuocNgoaiDaDangKy",
	"qgNuocNgoaiDaDangKy",
};

static const struct {
	const char *code, *title;
	const char *const *cols;
	size_t n;
} kinds[KIND_COUNT] = {
	{"ks", "SỔ ĐĂNG KÝ KHAI SINH", cols_ks, sizeof(cols_ks) / sizeof(*cols_ks)},
	{"kh", "SỔ ĐĂNG KÝ KẾT HÔN", cols_kh, sizeof(cols_kh) / sizeof(*cols_kh)},
	{"kt", "SỔ ĐĂNG KÝ KHAI TỬ", cols_kt, sizeof(cols_kt) / sizeof(*cols_kt)},
};

#include <string.h>

const char *kind_code(enum book_kind k)
{
	return k >= 0 && k < KIND_COUNT ? kinds[k].code : "";
}

const char *kind_title(enum book_kind k)
{
	return k >= 0 && k < KIND_COUNT ? kinds[k].title : "";
}

enum book_kind kind_parse(const char *s)
{
	for (int k = 0; s && k < KIND_COUNT; k++)
		if (!strcmp(s, kinds[k].code))
			return (enum book_kind)k;
	return KIND_NONE;
}

const char *const *columns_of(enum book_kind k, size_t *n)
{
	if (k < 0 || k >= KIND_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = kinds[k].n;
	return kinds[k].cols;
}

int column_index(enum book_kind k, const char *name)
{
	size_t n;
	const char *const *c = columns_of(k, &n);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(c[i], name))
			return (int)i;
	return -1;
}
