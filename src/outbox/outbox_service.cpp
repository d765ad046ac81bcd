#include "outbox/outbox_service.hpp"

#include "common/error.hpp"

namespace casevault::outbox {

std::vector<Notification> OutboxService::poll(const accounts::Context& ctx, std::size_t limit,
                                              std::int64_t lease_seconds) {
    if (limit == 0 || limit > 10000) fail(Errc::invalid_argument, "poll limit must be in 1..10000");
    if (lease_seconds < 1 || lease_seconds > 7 * 86400) {
        fail(Errc::invalid_argument, "lease must be 1 second to 7 days");
    }
    std::vector<Notification> out;
    for (auto& row : store_.notifications_available(ctx.now, limit)) {
        // The lease is written in the same transaction that hands the rows
        // out: a crash before commit hands them out again (at-least-once).
        store_.lease_notification(row.id, ctx.now + lease_seconds, row.attempts + 1);
        Notification n;
        n.id = row.id;
        n.kind = std::move(row.kind);
        n.subject = std::move(row.subject);
        n.payload = std::move(row.payload);
        n.created_at = row.created_at;
        n.attempts = row.attempts + 1;
        out.push_back(std::move(n));
    }
    if (!out.empty()) {
        log_.append(ctx.now, ctx.actor, "outbox.poll", "", "", "ok", std::to_string(out.size()));
    }
    return out;
}

std::int64_t OutboxService::ack(const accounts::Context& ctx, const std::vector<std::int64_t>& ids) {
    if (ids.size() > 10000) fail(Errc::invalid_argument, "at most 10000 ids per ack");
    std::int64_t acked = 0;
    for (std::int64_t id : ids) {
        if (id <= 0) fail(Errc::invalid_argument, "notification ids are positive");
        if (store_.delete_notification(id)) {
            ++acked;
            log_.append(ctx.now, ctx.actor, "outbox.ack", "", "ntf:" + std::to_string(id), "ok", "");
        }
    }
    return acked;
}

}  // namespace casevault::outbox
