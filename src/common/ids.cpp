#include "common/ids.hpp"

#include <chrono>
#include <cstring>

#include "crypto/primitives.hpp"

namespace casevault {

namespace {
constexpr std::size_t kIdRandomBytes = 12;
}

std::string new_id(const char* prefix) {
    // 48 bits of wall-clock milliseconds, then 48 random bits (like a ULID):
    // new rows land at the right edge of the B-trees instead of dirtying a
    // random page per insert, which in an encrypted store means a page
    // re-encrypted per insert.
    using namespace std::chrono;
    const auto ms = static_cast<std::uint64_t>(
        duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
    unsigned char raw[kIdRandomBytes];
    for (int i = 0; i < 6; ++i) raw[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
    crypto::random_bytes(raw + 6, sizeof raw - 6);
    return std::string(prefix) + "_" + crypto::to_hex(raw, sizeof raw);
}

bool is_valid_id(const std::string& id, const char* prefix) {
    const std::size_t plen = std::strlen(prefix);
    if (id.size() != plen + 1 + 2 * kIdRandomBytes) return false;
    if (id.compare(0, plen, prefix) != 0 || id[plen] != '_') return false;
    for (std::size_t i = plen + 1; i < id.size(); ++i) {
        const char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

}  // namespace casevault
