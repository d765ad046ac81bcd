#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "test_util.hpp"
#include "vault/key_header.hpp"

namespace cvtest {

TempDir::TempDir() {
    char tmpl[] = "/tmp/casevault-test-XXXXXX";
    const char* d = mkdtemp(tmpl);
    if (d == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = d;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::vector<std::string> canaries_in_files(const std::string& db_path, const std::vector<std::string>& canaries) {
    std::vector<std::string> found;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        const std::string data = read_file(db_path + suffix);
        for (const auto& c : canaries) {
            if (data.find(c) != std::string::npos) found.push_back(c + " in " + db_path + suffix);
        }
    }
    return found;
}

std::unique_ptr<casevault::store::SqlcipherStore> raw_sql(const std::string& path, std::uint8_t seed) {
    using namespace casevault;
    unsigned char first[store::kFileSaltBytes];
    if (store::probe_file(path, first) != store::FileState::present) throw std::runtime_error("no store");
    const vault::KeyHeader h = vault::parse_header(first);
    const auto k = test_key(seed);
    const crypto::SecretBytes master = vault::derive_master(h, crypto::SecretBytes(k.data(), k.size()));
    const crypto::PurposeKeys keys = crypto::derive_purpose_keys(master);
    return store::SqlcipherStore::open(path, keys.page, h.bytes, 1000);
}

void raw_exec(const std::string& path, const std::string& sql, std::uint8_t seed) {
    raw_sql(path, seed)->db().exec(sql.c_str(), "test SQL");
}

}  // namespace cvtest

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
