// The de-identified aggregates' facade: each call one read snapshot, so the
// tables of all() agree with one another.
#include "vault/vault_core.hpp"

namespace casevault {

Aggregates Vault::aggregates() { return Aggregates(core_); }

AggregateTable Aggregates::cases(const AggregateOptions& options) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->aggregates().cases(ctx, options); });
}

AggregateTable Aggregates::accounts(const AggregateOptions& options) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->aggregates().accounts(ctx, options); });
}

std::vector<AggregateTable> Aggregates::billing(const AggregateOptions& options) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->aggregates().billing(ctx, options); });
}

std::vector<AggregateTable> Aggregates::all(const AggregateOptions& options) {
    VaultCore* c = live(core_);
    return c->read([&](accounts::Context& ctx) { return c->aggregates().all(ctx, options); });
}

}  // namespace casevault
