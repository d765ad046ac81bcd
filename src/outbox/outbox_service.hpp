// The notification outbox: leased polling and acknowledgement.
#pragma once

#include <vector>

#include "accounts/account_service.hpp"
#include "audit/audit_log.hpp"
#include "casevault/outbox.hpp"
#include "store/store.hpp"

namespace casevault::outbox {

class OutboxService {
public:
    OutboxService(store::Store& store, audit::AuditLog& log) : store_(store), log_(log) {}

    std::vector<Notification> poll(const accounts::Context& ctx, std::size_t limit, std::int64_t lease_seconds);
    std::int64_t ack(const accounts::Context& ctx, const std::vector<std::int64_t>& ids);
    std::int64_t pending() { return store_.count_notifications(); }

private:
    store::Store& store_;
    audit::AuditLog& log_;
};

}  // namespace casevault::outbox
