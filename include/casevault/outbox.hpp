// The notification outbox: messages the host must deliver to people
// (reconsent_required; later disclosure notices, deletion confirmations,
// transfer notices). The host polls, delivers, then acknowledges:
// at-least-once delivery, and an acknowledged notification is never returned
// again. Payloads carry ids and policy facts, never personal data: the host
// looks the contact details up itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

struct Notification {
    std::int64_t id = 0;
    std::string kind;     // "reconsent_required", ...
    std::string subject;  // the account to notify
    std::string payload;  // a JSON object; its shape per kind is in docs/policy-format.md
    std::int64_t created_at = 0;
    int attempts = 0;     // times it was handed out by poll(), this one included
};

class VaultCore;

class CASEVAULT_EXPORT Outbox {
public:
    explicit Outbox(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    // Up to `limit` (1..10000) unacknowledged notifications, oldest first,
    // leased for lease_seconds: until the lease runs out they are not handed
    // out again; after it, they are (the host may have crashed).
    std::vector<Notification> poll(std::size_t limit = 100, std::int64_t lease_seconds = 300);
    // Acknowledges delivery; the notifications are deleted. Returns how many
    // were pending (unknown or already acknowledged ids are skipped).
    std::int64_t ack(const std::vector<std::int64_t>& ids);
    std::int64_t pending();

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault
