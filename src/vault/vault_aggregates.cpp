// TEMPORARY stubs (issue 6 in progress): replaced by the real implementation.
#include "vault/vault_core.hpp"

namespace casevault {
Aggregates Vault::aggregates() { return Aggregates(core_); }
AggregateTable Aggregates::cases(const AggregateOptions&) { fail(Errc::internal, "not implemented yet"); }
AggregateTable Aggregates::accounts(const AggregateOptions&) { fail(Errc::internal, "not implemented yet"); }
std::vector<AggregateTable> Aggregates::billing(const AggregateOptions&) { fail(Errc::internal, "not implemented yet"); }
std::vector<AggregateTable> Aggregates::all(const AggregateOptions&) { fail(Errc::internal, "not implemented yet"); }
}  // namespace casevault
