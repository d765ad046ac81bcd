#include "records/record_support.hpp"

#include "accounts/normalize.hpp"
#include "casevault/accounts.hpp"
#include "common/card_numbers.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"
#include "crypto/aead.hpp"

namespace casevault::records {

std::string text_field(const std::string& value, const char* field, std::size_t max, bool multiline) {
    std::string t = accounts::clean_text(value, field, max, true, multiline);
    refuse_card_number(t, field);
    return t;
}

std::optional<std::string> optional_text(const std::optional<std::string>& value, const char* field,
                                         std::size_t max, bool multiline) {
    if (!value) return std::nullopt;
    std::string t = accounts::clean_text(*value, field, max, false, multiline);
    if (t.empty()) return std::nullopt;
    refuse_card_number(t, field);
    return t;
}

std::string label_field(const std::string& value, const char* field, std::size_t max) {
    if (value.empty()) fail(Errc::invalid_argument, std::string(field) + " is required");
    if (value.size() > max) {
        fail(Errc::invalid_argument, std::string(field) + " is longer than " + std::to_string(max) + " bytes");
    }
    for (unsigned char c : value) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            fail(Errc::invalid_argument, std::string(field) + " must be lower-case letters, digits and '_'");
        }
    }
    refuse_card_number(value, field);  // labels are stored in the clear
    return value;
}

void check_id(const std::string& id, const char* prefix, const char* what) {
    if (!is_valid_id(id, prefix)) fail(Errc::invalid_argument, std::string("not ") + what + " id");
}

const SubjectKeyCache::Entry& SubjectKeyCache::get(const std::string& subject) {
    auto it = entries_.find(subject);
    if (it != entries_.end()) return it->second;
    check_id(subject, "acc", "an account");
    const auto row = deps_.store.account(subject);
    if (!row || row->status == static_cast<int>(AccountStatus::erased)) {
        fail(Errc::not_found, "no live account with this id");
    }
    Entry e;
    e.key_version = row->key_version;
    e.key = deps_.keys.open(row->id, row->key_version, row->data_key);
    e.email_bidx = row->email_bidx;
    e.phone_bidx = row->phone_bidx;
    return entries_.emplace(subject, std::move(e)).first->second;
}

store::Bytes seal(const SubjectKeyCache::Entry& key, const std::string& value, const char* table,
                  const char* column, const std::string& row_id) {
    return crypto::seal(key.key, value, crypto::field_ad(table, column, row_id, key.key_version));
}

std::optional<store::Bytes> seal(const SubjectKeyCache::Entry& key, const std::optional<std::string>& value,
                                 const char* table, const char* column, const std::string& row_id) {
    if (!value) return std::nullopt;
    return seal(key, *value, table, column, row_id);
}

std::string open(const SubjectKeyCache::Entry& key, const store::Bytes& sealed, const char* table,
                 const char* column, const std::string& row_id) {
    auto out = crypto::open(key.key, sealed, crypto::field_ad(table, column, row_id, key.key_version));
    if (!out) {
        fail(Errc::corrupt, std::string("a sealed field (") + table + "." + column +
                                ") failed authentication: it was altered or moved from another record");
    }
    return std::move(*out);
}

std::optional<std::string> open(const SubjectKeyCache::Entry& key, const std::optional<store::Bytes>& sealed,
                                const char* table, const char* column, const std::string& row_id) {
    if (!sealed) return std::nullopt;
    return open(key, *sealed, table, column, row_id);
}

}  // namespace casevault::records
