// Shared helpers for the core tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "casevault/casevault.hpp"

namespace cvtest {

// A fresh directory per test, removed afterwards.
class TempDir {
public:
    TempDir();
    ~TempDir();
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

private:
    std::string dir_;
};

inline std::vector<std::uint8_t> test_key(std::uint8_t seed = 7) {
    std::vector<std::uint8_t> k(32);
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i * 13);
    return k;
}

inline casevault::OpenOptions key_options(std::uint8_t seed = 7) {
    casevault::OpenOptions o;
    o.key = test_key(seed);
    return o;
}

inline casevault::OpenOptions pass_options(const std::string& pass) {
    casevault::OpenOptions o;
    o.passphrase = pass;
    o.kdf = casevault::KdfParams::testing();
    return o;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_file(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

// Every canary that occurs in the store file or its -wal / -shm companions.
std::vector<std::string> canaries_in_files(const std::string& db_path, const std::vector<std::string>& canaries);

// A clock the test moves by hand.
struct ManualClock {
    std::int64_t now = 1767225600;  // 2026-01-01T00:00:00Z
    casevault::Clock fn() {
        return [this] { return now; };
    }
};

// key_options() on a clock the test moves by hand.
inline casevault::OpenOptions clocked_key_options(ManualClock& clock, std::uint8_t seed = 7) {
    casevault::OpenOptions o = key_options(seed);
    o.clock = clock.fn();
    return o;
}

#ifdef CV_EXAMPLES_DIR
// The text of examples/policies/<file>.
inline std::string policy_text(const std::string& file) {
    return read_file(std::string(CV_EXAMPLES_DIR) + "/policies/" + file);
}
#endif

#define EXPECT_CV_ERROR(stmt, errc)                                              \
    do {                                                                         \
        try {                                                                    \
            stmt;                                                                \
            ADD_FAILURE() << "expected " << casevault::errc_name(errc);          \
        } catch (const casevault::Error& e_) {                                   \
            EXPECT_EQ(e_.code(), errc) << e_.what();                             \
        }                                                                        \
    } while (0)

}  // namespace cvtest

#include "store/sqlcipher_store.hpp"

namespace cvtest {
// Opens the store's SQL layer directly with the vault's page key (a raw-key
// store), as an attacker who holds the key and SQL access would.
std::unique_ptr<casevault::store::SqlcipherStore> raw_sql(const std::string& path, std::uint8_t seed = 7);
void raw_exec(const std::string& path, const std::string& sql, std::uint8_t seed = 7);
}  // namespace cvtest
