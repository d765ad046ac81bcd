// Billing: payment records. No field may hold a card number; last four
// digits, billing address and processor reference are sealed. Recording a
// payment is the subject's "payment" activity ("recurring_payment" for a
// recurring charge, so the retention rules can tell them apart).
#pragma once

#include "casevault/billing.hpp"
#include "records/record_support.hpp"

namespace casevault::billing {

class BillingService {
public:
    explicit BillingService(records::Deps deps) : d_(deps) {}

    Payment record(const accounts::Context& ctx, const std::string& actor, const PaymentFields& fields);
    Payment get(const accounts::Context& ctx, const std::string& actor, const std::string& payment_id);
    std::vector<Payment> list(const accounts::Context& ctx, const std::string& actor, const std::string& subject);

    // Keeps only the `keep` fields of the subject's payments (amount,
    // currency, paid_at, card_brand, recurring, billing_state, last4,
    // billing_address, processor_ref, tax_exemption), the sealed ones resealed
    // under the retention key so they outlive the subject's key; the others
    // are cleared. Returns how many were minimised.
    std::int64_t minimize(const std::string& subject, const std::vector<std::string>& keep, std::int64_t now);

    // The brands accepted, in one place.
    static const std::vector<std::string>& card_brands();
    // A US state, DC, territory or military code, upper-cased ("ny" ->
    // "NY"); "" stays "" (unknown). Throws invalid_argument otherwise.
    // Shared with rectification.
    static std::string billing_state(const std::string& value);
    // The tax exemption as stored (nullopt when absent or empty); throws
    // invalid_argument for a card number, control characters or > 200 bytes.
    static std::optional<std::string> tax_exemption(const std::optional<std::string>& value);

private:
    Payment decode(const store::PaymentRow& row, const records::SubjectKeyCache::Entry& key);
    records::SubjectKeyCache::Entry retention_entry();
    records::Deps d_;
};

}  // namespace casevault::billing
