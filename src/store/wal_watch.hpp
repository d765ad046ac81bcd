// Notices commits by other connections without a read transaction.
//
// In WAL mode every commit, by any connection or process, rewrites the
// wal-index header at the start of the <store>-shm file (it holds frame and
// page counts, salts and a checksum, never page contents). Comparing that
// header with the one seen last costs a few nanoseconds, where PRAGMA
// data_version costs a read transaction (two fcntl lock calls, ~3 us here).
// The decision cache relies on it to see another process's withdrawal of
// consent at once.
#pragma once

#include <cstdint>
#include <string>

namespace casevault::store {

class WalWatch {
public:
    WalWatch() = default;
    ~WalWatch();
    WalWatch(const WalWatch&) = delete;
    WalWatch& operator=(const WalWatch&) = delete;

    // Maps the -shm file of the store at db_path read-only. false when it
    // cannot (no WAL index on disk): callers then fall back to data_version.
    bool attach(const std::string& db_path);
    void detach() noexcept;
    bool attached() const noexcept { return map_ != nullptr; }

    // A number that changes whenever the wal-index header changed since the
    // last call (a header caught mid-update counts as a change).
    std::int64_t version();

private:
    static constexpr std::size_t kHeaderBytes = 48;  // one copy of WalIndexHdr
    const unsigned char* map_ = nullptr;
    std::size_t map_len_ = 0;
    unsigned char last_[kHeaderBytes] = {};
    // Far above any PRAGMA data_version value, so switching from that
    // fallback to the watch always reads as a change.
    std::int64_t version_ = std::int64_t{1} << 40;
};

}  // namespace casevault::store
