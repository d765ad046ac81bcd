// TEMPORARY stubs (issue 6 in progress): replaced by the real implementation.
#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {
void SqlcipherStore::update_message(const MessageRow&) { fail(Errc::internal, "not implemented yet"); }
void SqlcipherStore::update_document(const DocumentRow&) { fail(Errc::internal, "not implemented yet"); }
std::optional<CaseStatusRow> SqlcipherStore::case_status(std::int64_t) { fail(Errc::internal, "not implemented yet"); }
}  // namespace casevault::store
