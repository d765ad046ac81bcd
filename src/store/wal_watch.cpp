#include "store/wal_watch.hpp"

#include <atomic>
#include <cstring>

namespace casevault::store {

namespace {

constexpr int kWalIndexRegionBytes = 32768;  // SQLite's WALINDEX_PGSZ

// Word by word: the region is page-aligned, and volatile keeps every read
// a real load from the shared mapping.
void copy_header(unsigned char* out, const volatile unsigned char* in, std::size_t n) {
    const auto* words = reinterpret_cast<const volatile std::uint64_t*>(in);
    for (std::size_t i = 0; i < n / 8; ++i) {
        const std::uint64_t w = words[i];
        std::memcpy(out + 8 * i, &w, 8);
    }
}

}  // namespace

bool WalWatch::attach(sqlite3* db) {
    region_ = nullptr;
    sqlite3_file* file = nullptr;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file ||
        !file->pMethods || file->pMethods->iVersion < 2 || !file->pMethods->xShmMap) {
        return false;
    }
    // bExtend = 0: only an existing region, which the connection mapped when
    // it first read the store in WAL mode. No lock is taken or released.
    volatile void* p = nullptr;
    if (file->pMethods->xShmMap(file, 0, kWalIndexRegionBytes, 0, &p) != SQLITE_OK || !p) return false;
    region_ = static_cast<const volatile unsigned char*>(p);
    copy_header(last_, region_, kHeaderBytes);
    return true;
}

std::int64_t WalWatch::version() {
    if (!region_) return ++version_;  // unknown: always "changed"
    // SQLite writes the second copy, then a barrier, then the first; reading
    // the first, a barrier, then the second, two equal copies are a whole header.
    unsigned char first[kHeaderBytes], second[kHeaderBytes];
    copy_header(first, region_, kHeaderBytes);
    std::atomic_thread_fence(std::memory_order_acquire);
    copy_header(second, region_ + kHeaderBytes, kHeaderBytes);
    if (std::memcmp(first, second, kHeaderBytes) != 0) return ++version_;  // mid-update
    if (std::memcmp(first, last_, kHeaderBytes) != 0) {
        std::memcpy(last_, first, kHeaderBytes);
        ++version_;
    }
    return version_;
}

}  // namespace casevault::store
