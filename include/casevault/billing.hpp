// Billing: payment records. Never a full card number: a card number (13-19
// digits, spaces or dashes allowed, passing the Luhn check) in any field is
// refused, naming the field but not echoing the number. Billing address and
// processor reference are sealed; amount, currency, brand, time and the
// recurring flag are kept in the clear for accounting (docs/security.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casevault/export.hpp"

namespace casevault {

// amount_minor: in the currency's minor unit (cents), > 0. currency: ISO
// 4217 letters ("USD"). card_brand: visa, mastercard, amex, discover, jcb,
// diners, unionpay or other. last4: exactly four digits (sealed).
// paid_at: 0 = now.
struct PaymentFields {
    std::string subject;
    std::int64_t amount_minor = 0;
    std::string currency;
    std::int64_t paid_at = 0;
    std::string card_brand;
    std::string last4;
    std::optional<std::string> billing_address;
    std::optional<std::string> processor_ref;
    bool recurring = false;
    // The US state (or territory) of the billing address, two letters
    // ("NY"): kept in the clear for the billing aggregates. "" when unknown.
    // One of the 50 states, DC, PR, GU, VI, AS, MP or the military AA, AE,
    // AP; lower case is accepted and stored upper case.
    std::string billing_state;
    // e.g. an exemption certificate id (sealed): one line, at most 200 bytes.
    std::optional<std::string> tax_exemption;
};

struct Payment {
    std::string id;  // "pay_..."
    std::string subject;
    std::int64_t amount_minor = 0;
    std::string currency;
    std::int64_t paid_at = 0;
    std::string card_brand;
    std::string last4;
    std::optional<std::string> billing_address;
    std::optional<std::string> processor_ref;
    bool recurring = false;
    std::string billing_state;
    std::optional<std::string> tax_exemption;
    std::int64_t recorded_at = 0;
};

class VaultCore;

// Recording a payment counts as the subject's "payment" activity.
class CASEVAULT_EXPORT Billing {
public:
    explicit Billing(std::shared_ptr<VaultCore> core) : core_(std::move(core)) {}

    Payment record(const std::string& actor, const PaymentFields& fields);
    Payment get(const std::string& actor, const std::string& payment_id);
    // In id order: creation order to the millisecond.
    std::vector<Payment> list(const std::string& actor, const std::string& subject);

private:
    std::shared_ptr<VaultCore> core_;
};

}  // namespace casevault
