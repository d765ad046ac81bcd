// What the record modules (cases, correspondence, billing, posts) share:
// their dependencies, the acting principal's check, validation of free text
// and labels, and sealing under the subject's data key.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "access/guard.hpp"
#include "accounts/account_service.hpp"
#include "audit/audit_log.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/secure_memory.hpp"
#include "store/store.hpp"

namespace casevault::records {

class SubjectKeyCache;

struct Deps {
    store::Store& store;
    accounts::SubjectKeys& keys;
    crypto::BlindIndexer& index;
    audit::AuditLog& log;
    access::Guard& guard;
    // Qualifying activity (subject, kind, at), for the retention schedule.
    std::function<void(const std::string&, const std::string&, std::int64_t)> on_activity;
    // The store-wide key minimised records are resealed under.
    std::function<crypto::SecretBytes()> retention_key;
};

// Free text: trimmed, valid UTF-8, no control characters (line breaks and
// tabs when multiline), at most max bytes, and never a card number.
std::string text_field(const std::string& value, const char* field, std::size_t max, bool multiline);
// Absent or empty gives nullopt.
std::optional<std::string> optional_text(const std::optional<std::string>& value, const char* field,
                                         std::size_t max, bool multiline);
// A label: 1..max of [a-z0-9_] (statuses, sources, document kinds).
std::string label_field(const std::string& value, const char* field, std::size_t max = 64);
// A record id of the given kind prefix ("cas"), else invalid_argument.
void check_id(const std::string& id, const char* prefix, const char* what);

// A live (not erased) account and its data key; keys are reused within one
// operation (a batch touches each subject's key once).
class SubjectKeyCache {
public:
    explicit SubjectKeyCache(Deps& deps) : deps_(deps) {}
    struct Entry {
        int key_version = 1;
        crypto::SecretBytes key;
        std::optional<store::Bytes> email_bidx, phone_bidx;  // the account's own
    };
    // Throws not_found for an unknown or erased account.
    const Entry& get(const std::string& subject);

private:
    Deps& deps_;
    std::unordered_map<std::string, Entry> entries_;
};

store::Bytes seal(const SubjectKeyCache::Entry& key, const std::string& value, const char* table,
                  const char* column, const std::string& row_id);
std::optional<store::Bytes> seal(const SubjectKeyCache::Entry& key, const std::optional<std::string>& value,
                                 const char* table, const char* column, const std::string& row_id);
// Throws corrupt when the value was altered or moved.
std::string open(const SubjectKeyCache::Entry& key, const store::Bytes& sealed, const char* table,
                 const char* column, const std::string& row_id);
std::optional<std::string> open(const SubjectKeyCache::Entry& key, const std::optional<store::Bytes>& sealed,
                                const char* table, const char* column, const std::string& row_id);

}  // namespace casevault::records
