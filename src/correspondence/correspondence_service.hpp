// Correspondence: messages, calls and survey responses, sealed under the
// subject's key; the sender is blind-indexed with the accounts' own email or
// phone index key, so a sender's digest equals its account's. Recording an
// inbound message is the subject's "message" activity.
#pragma once

#include "casevault/correspondence.hpp"
#include "records/record_support.hpp"

namespace casevault::correspondence {

class CorrespondenceService {
public:
    explicit CorrespondenceService(records::Deps deps) : d_(deps) {}

    std::vector<Message> record_many(const accounts::Context& ctx, const std::string& actor,
                                     const std::vector<MessageFields>& batch);
    Message get(const accounts::Context& ctx, const std::string& actor, const std::string& message_id);
    MessagePage list(const accounts::Context& ctx, const std::string& actor, const std::string& subject,
                     const MessageListOptions& options);
    std::optional<std::string> match_sender(const accounts::Context& ctx, const std::string& actor,
                                            const std::string& sender);

    // Rekey: the sender's digest under a new blind-index root.
    static std::optional<store::Bytes> reindex(const store::MessageRow& row, accounts::SubjectKeys& keys,
                                               store::Store& store, crypto::BlindIndexer& index);

private:
    Message decode(const store::MessageRow& row, const records::SubjectKeyCache::Entry& key);
    records::Deps d_;
};

// The accounts index column ("email" or "phone") and normalised value of a
// sender; throws invalid_argument when it is neither.
std::pair<std::string, std::string> normalize_sender(const std::string& sender);

}  // namespace casevault::correspondence
