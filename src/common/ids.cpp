#include "common/ids.hpp"

#include <cstring>

#include "crypto/primitives.hpp"

namespace casevault {

namespace {
constexpr std::size_t kIdRandomBytes = 12;
}

std::string new_id(const char* prefix) {
    unsigned char raw[kIdRandomBytes];
    crypto::random_bytes(raw, sizeof raw);
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
