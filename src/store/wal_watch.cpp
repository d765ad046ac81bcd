#include "store/wal_watch.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstring>

namespace casevault::store {

WalWatch::~WalWatch() { detach(); }

bool WalWatch::attach(const std::string& db_path) {
    detach();
    const int fd = ::open((db_path + "-shm").c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    // The index grows in 32 KiB regions; one page covers both header copies.
    const std::size_t len = 4096;
    if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(len)) {
        ::close(fd);
        return false;
    }
    void* p = ::mmap(nullptr, len, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);  // the mapping stays valid
    if (p == MAP_FAILED) return false;
    map_ = static_cast<const unsigned char*>(p);
    map_len_ = len;
    std::memcpy(last_, map_, kHeaderBytes);
    return true;
}

void WalWatch::detach() noexcept {
    if (map_) ::munmap(const_cast<unsigned char*>(map_), map_len_);
    map_ = nullptr;
    map_len_ = 0;
}

std::int64_t WalWatch::version() {
    if (!map_) return ++version_;  // unknown: always "changed"
    // SQLite writes the second copy, then a barrier, then the first; reading
    // the first, a barrier, then the second, two equal copies are a whole header.
    unsigned char first[kHeaderBytes], second[kHeaderBytes];
    std::memcpy(first, map_, kHeaderBytes);
    std::atomic_thread_fence(std::memory_order_acquire);
    std::memcpy(second, map_ + kHeaderBytes, kHeaderBytes);
    if (std::memcmp(first, second, kHeaderBytes) != 0) return ++version_;  // mid-update
    if (std::memcmp(first, last_, kHeaderBytes) != 0) {
        std::memcpy(last_, first, kHeaderBytes);
        ++version_;
    }
    return version_;
}

}  // namespace casevault::store
