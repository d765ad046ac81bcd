// TEMPORARY stubs (issue 6 in progress): replaced by the real implementation.
#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {
std::vector<AggregateRow> SqlcipherStore::aggregate_cases(std::int64_t, std::int64_t) { fail(Errc::internal, "not implemented yet"); }
std::vector<AggregateRow> SqlcipherStore::aggregate_accounts(std::int64_t, std::int64_t) { fail(Errc::internal, "not implemented yet"); }
std::vector<AggregateRow> SqlcipherStore::aggregate_payments(std::int64_t, std::int64_t) { fail(Errc::internal, "not implemented yet"); }
}  // namespace casevault::store
