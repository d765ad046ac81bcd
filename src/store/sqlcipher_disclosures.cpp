// TEMPORARY stubs (issue 6 in progress): replaced by the real implementation.
#include "common/error.hpp"
#include "store/sqlcipher_store.hpp"

namespace casevault::store {
void SqlcipherStore::insert_disclosure(const DisclosureRow&) { fail(Errc::internal, "not implemented yet"); }
void SqlcipherStore::update_disclosure(const DisclosureRow&) { fail(Errc::internal, "not implemented yet"); }
std::optional<DisclosureRow> SqlcipherStore::disclosure(const std::string&) { fail(Errc::internal, "not implemented yet"); }
std::vector<DisclosureRow> SqlcipherStore::disclosures(const std::optional<std::string>&) { fail(Errc::internal, "not implemented yet"); }
void SqlcipherStore::insert_subprocessor(const SubprocessorRow&) { fail(Errc::internal, "not implemented yet"); }
void SqlcipherStore::update_subprocessor(const SubprocessorRow&) { fail(Errc::internal, "not implemented yet"); }
std::optional<SubprocessorRow> SqlcipherStore::subprocessor(const std::string&) { fail(Errc::internal, "not implemented yet"); }
std::vector<SubprocessorRow> SqlcipherStore::subprocessors() { fail(Errc::internal, "not implemented yet"); }
void SqlcipherStore::insert_transfer(const TransferRow&) { fail(Errc::internal, "not implemented yet"); }
void SqlcipherStore::update_transfer(const TransferRow&) { fail(Errc::internal, "not implemented yet"); }
std::vector<TransferRow> SqlcipherStore::transfers() { fail(Errc::internal, "not implemented yet"); }
std::vector<std::string> SqlcipherStore::active_account_ids(const std::string&, std::size_t) { fail(Errc::internal, "not implemented yet"); }
}  // namespace casevault::store
