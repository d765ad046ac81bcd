// Inbound cancel/delete commands: which command a message's text holds.
// Pure text rules, no store (docs/retention.md, "Inbound commands").
#pragma once

#include <optional>
#include <string>

#include "casevault/retention.hpp"

namespace casevault::retention {

struct ParsedCommand {
    InboundOutcome outcome = InboundOutcome::no_command;  // no_command, ambiguous, negated, mention_only, accepted
    std::optional<RequestKind> command;
};

// Email: CANCEL or DELETE as a word of the subject line, any case, and not
// negated by one of the three words before it ("please don't delete my
// case"). WhatsApp: the body is the word, any case, surrounding white space
// ignored. The body of an email is not read. Throws invalid_argument for a
// channel other than email or whatsapp, invalid UTF-8 or oversized text.
ParsedCommand parse_command(const InboundMessage& message);

// One-time confirmation codes: 12 characters of Crockford's base 32 in
// three groups ("7KQ2-M9XD-4PHT", 60 bits). normalize_code() upper-cases,
// drops spaces and hyphens and reads O as 0, I and L as 1; nullopt when the
// result is not a code.
std::string new_code();
std::optional<std::string> normalize_code(const std::string& code);

}  // namespace casevault::retention
