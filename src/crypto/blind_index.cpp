#include "crypto/blind_index.hpp"

#include "crypto/keys.hpp"

namespace casevault::crypto {

const SecretBytes& BlindIndexer::column_key(const std::string& column) {
    auto it = keys_.find(column);
    if (it != keys_.end()) return it->second;
    SecretBytes key(kKeyBytes);
    const std::string label = "casevault blind index v1\x1f" + column;
    keyed_hash(key.data(), key.size(), root_.data(), root_.size(),
               reinterpret_cast<const unsigned char*>(label.data()), label.size());
    return keys_.emplace(column, std::move(key)).first->second;
}

Bytes BlindIndexer::digest(const std::string& column, const std::string& normalized) {
    const SecretBytes& key = column_key(column);
    Bytes out(kBlindIndexBytes);
    keyed_hash(out.data(), out.size(), key.data(), key.size(),
               reinterpret_cast<const unsigned char*>(normalized.data()), normalized.size());
    return out;
}

}  // namespace casevault::crypto
