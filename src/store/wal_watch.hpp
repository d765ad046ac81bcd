// Notices commits without a read transaction.
//
// In WAL mode every commit, by any connection or process, rewrites the
// wal-index header at the start of the shared-memory region SQLite maps for
// the store (the -shm file: frame and page counts, salts, checksums, never
// page contents). Comparing that header with the copy seen last costs a few
// nanoseconds, where PRAGMA data_version costs a read transaction (two fcntl
// lock calls, ~3.5 us here).
//
// The region is SQLite's own mapping, obtained through the connection's VFS
// file (xShmMap): opening the -shm file ourselves would be wrong, because
// closing any descriptor of a file drops every POSIX lock the process holds
// on it, and SQLite keeps its WAL locks there.
#pragma once

#include <sqlite3.h>

#include <cstdint>

namespace casevault::store {

class WalWatch {
public:
    // Finds the wal-index of the connection's main database. false when
    // there is none (not in WAL mode, or the index is in heap memory); the
    // caller then treats every call as a possible change.
    bool attach(sqlite3* db);
    void detach() noexcept { region_ = nullptr; }
    bool attached() const noexcept { return region_ != nullptr; }

    // A number that changes whenever the wal-index header changed since the
    // last call (a header caught mid-update counts as a change).
    std::int64_t version();

private:
    static constexpr std::size_t kHeaderBytes = 48;  // one copy of WalIndexHdr
    const volatile unsigned char* region_ = nullptr;  // owned by SQLite, valid while the connection is open
    unsigned char last_[kHeaderBytes] = {};
    // Far above any PRAGMA data_version value, so a caller that compares the
    // two never mistakes one for the other.
    std::int64_t version_ = std::int64_t{1} << 40;
};

}  // namespace casevault::store
