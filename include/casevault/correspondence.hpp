// Correspondence: messages and calls with a data subject, and survey
// responses. Subject line, body and sender are sealed under the subject's
// data key; the sender is also blind-indexed with the accounts' own email
// and phone index keys, so an inbound message matches its account.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

// Frozen numbers (shared with casevault.h). A survey response is a message
// on the survey channel.
enum class MessageChannel : int { email = 0, whatsapp = 1, phone = 2, web_form = 3, survey = 4 };
enum class Direction : int { inbound = 0, outbound = 1 };

CASEVAULT_EXPORT const char* message_channel_name(MessageChannel c) noexcept;
CASEVAULT_EXPORT MessageChannel message_channel_from_name(const std::string& name);
CASEVAULT_EXPORT const char* direction_name(Direction d) noexcept;
CASEVAULT_EXPORT Direction direction_from_name(const std::string& name);

// The defaults describe an inbound email, which needs its sender.
// subject: the account. Left empty on an inbound message, it is found from
// the sender (its email or phone number as registered); no match is
// not_found. sender: an email address or a phone number with country
// code; required for inbound email and WhatsApp. A sender that matches an
// account the actor may not write to is not_found too (audited as
// access.denied), so a refusal does not say the address is a client's. body: at most 1 MiB (a
// call's notes); subject_line at most 1000 bytes. at: 0 = now.
struct MessageFields {
    std::string subject;
    std::optional<std::string> case_id;
    MessageChannel channel = MessageChannel::email;
    Direction direction = Direction::inbound;
    std::int64_t at = 0;
    std::optional<std::string> subject_line;
    std::string body;
    std::optional<std::string> sender;
};

struct Message {
    std::string id;  // "msg_..."
    std::string subject;
    std::optional<std::string> case_id;
    MessageChannel channel = MessageChannel::email;
    Direction direction = Direction::inbound;
    std::int64_t at = 0;
    std::optional<std::string> subject_line;
    std::string body;
    std::optional<std::string> sender;
    std::int64_t recorded_at = 0;
};

struct MessageListOptions {
    std::string after_id;                 // paging cursor
    std::size_t limit = 100;              // 1..10000
    std::optional<std::string> case_id;   // only this case's messages
};

struct MessagePage {
    std::vector<Message> items;
    std::string next_cursor;  // "" on the last page
};

class VaultCore;

// Recording an inbound message counts as the subject's "message" activity
// (retention: an active account). Actor first; see Cases for the rules.
class CASEVAULT_EXPORT Correspondence {
public:
    explicit Correspondence(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    Message record(const std::string& actor, const MessageFields& fields);
    // All or nothing, one transaction: the fast way to import.
    std::vector<Message> record_many(const std::string& actor, const std::vector<MessageFields>& batch);
    Message get(const std::string& actor, const std::string& message_id);
    MessagePage list(const std::string& actor, const std::string& subject, const MessageListOptions& options = {});
    // The account whose email or phone is this sender, if the actor may
    // write that account's correspondence; nullopt when none matches or the
    // actor may not (that refusal is audited).
    std::optional<std::string> match_sender(const std::string& actor, const std::string& sender);

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault
