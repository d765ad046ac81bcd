#include "billing/billing_service.hpp"

#include <algorithm>
#include <iterator>

#include "accounts/normalize.hpp"
#include "common/card_numbers.hpp"
#include "common/error.hpp"
#include "common/ids.hpp"

namespace casevault::billing {

namespace {

constexpr const char* kPayments = "payments";
constexpr std::int64_t kMaxAmount = 1000000000000;  // 10^12 minor units

std::string payment_target(const std::string& id) { return access::Guard::target_name(RecordKind::billing, id); }

access::Target target_of(const std::string& subject) {
    access::Target t;
    t.kind = RecordKind::billing;
    t.subject = subject;
    return t;
}

}  // namespace

std::string BillingService::billing_state(const std::string& value) {
    // The 50 states, DC, the inhabited territories (PR, GU, VI, AS, MP) and
    // the military "states" (AA, AE, AP), sorted for the search.
    static const char* const kCodes[] = {
        "AA", "AE", "AK", "AL", "AP", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "GU",
        "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MP", "MS",
        "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR", "RI", "SC",
        "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY"};
    std::string code = accounts::trim(value);
    if (code.empty()) return code;
    for (char& c : code) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (code.size() != 2 || !std::binary_search(std::begin(kCodes), std::end(kCodes), code)) {
        fail(Errc::invalid_argument,
             "billing_state must be a two-letter US state, DC, territory or military code such as NY, or empty");
    }
    return code;
}

std::optional<std::string> BillingService::tax_exemption(const std::optional<std::string>& value) {
    return records::optional_text(value, "tax_exemption", 200, false);
}

const std::vector<std::string>& BillingService::card_brands() {
    static const std::vector<std::string> brands{"visa", "mastercard", "amex", "discover",
                                                 "jcb",  "diners",     "unionpay", "other"};
    return brands;
}

Payment BillingService::decode(const store::PaymentRow& row, const records::SubjectKeyCache::Entry& key) {
    Payment p;
    p.id = row.id;
    p.subject = row.subject;
    p.amount_minor = row.amount_minor;
    p.currency = row.currency;
    p.paid_at = row.paid_at;
    p.card_brand = row.card_brand;
    p.last4 = records::open(key, row.last4, kPayments, "last4", row.id);
    p.billing_address = records::open(key, row.billing_address, kPayments, "billing_address", row.id);
    p.processor_ref = records::open(key, row.processor_ref, kPayments, "processor_ref", row.id);
    p.recurring = row.recurring;
    p.billing_state = row.billing_state;
    p.tax_exemption = records::open(key, row.tax_exemption, kPayments, "tax_exemption", row.id);
    p.recorded_at = row.recorded_at;
    return p;
}

Payment BillingService::record(const accounts::Context& ctx, const std::string& actor_id, const PaymentFields& f) {
    const access::Actor actor = d_.guard.actor(actor_id, "write billing", f.subject);
    // The coded fields are searched for a card number before their own
    // rules, so the error says what is wrong ("last4" holding a whole card
    // number); the free-text fields are searched by optional_text below.
    refuse_card_number(f.currency, "currency");
    refuse_card_number(f.card_brand, "card_brand");
    refuse_card_number(f.last4, "last4");
    refuse_card_number(f.billing_state, "billing_state");

    records::SubjectKeyCache keys(d_);
    const auto& key = keys.get(f.subject);
    store::PaymentRow row;
    row.id = new_id("pay");
    row.subject = f.subject;
    d_.guard.require(ctx.now, actor, Action::write, target_of(f.subject), payment_target(row.id));
    if (f.amount_minor <= 0 || f.amount_minor > kMaxAmount) {
        fail(Errc::invalid_argument, "amount_minor must be a positive amount in minor units (at most 10^12)");
    }
    row.amount_minor = f.amount_minor;
    std::string currency = accounts::trim(f.currency);
    for (char& c : currency) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (currency.size() != 3 || currency.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos) {
        fail(Errc::invalid_argument, "currency must be an ISO 4217 code such as USD");
    }
    row.currency = currency;
    std::string brand = accounts::trim(f.card_brand);
    for (char& c : brand) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (std::find(card_brands().begin(), card_brands().end(), brand) == card_brands().end()) {
        fail(Errc::invalid_argument,
             "card_brand must be visa, mastercard, amex, discover, jcb, diners, unionpay or other");
    }
    row.card_brand = brand;
    if (f.last4.size() != 4 || f.last4.find_first_not_of("0123456789") != std::string::npos) {
        fail(Errc::invalid_argument, "last4 must be exactly four digits");
    }
    if (f.paid_at < 0) fail(Errc::invalid_argument, "paid_at must be a Unix time");
    if (f.paid_at > ctx.now + 86400) fail(Errc::invalid_argument, "paid_at is more than a day in the future");
    row.paid_at = f.paid_at == 0 ? ctx.now : f.paid_at;
    const auto address = records::optional_text(f.billing_address, "billing_address", 1000, true);
    const auto ref = records::optional_text(f.processor_ref, "processor_ref", 200, false);
    const auto exemption = tax_exemption(f.tax_exemption);
    row.billing_state = billing_state(f.billing_state);
    row.last4 = records::seal(key, f.last4, kPayments, "last4", row.id);
    row.billing_address = records::seal(key, address, kPayments, "billing_address", row.id);
    row.processor_ref = records::seal(key, ref, kPayments, "processor_ref", row.id);
    row.tax_exemption = records::seal(key, exemption, kPayments, "tax_exemption", row.id);
    row.recurring = f.recurring;
    row.recorded_at = ctx.now;
    d_.store.insert_payment(row);
    d_.on_activity(row.subject, row.recurring ? "recurring_payment" : "payment", row.paid_at);
    d_.log.append(ctx.now, actor.id, "payment.record", row.subject, payment_target(row.id), "ok", "");
    return decode(row, key);
}

Payment BillingService::get(const accounts::Context& ctx, const std::string& actor_id, const std::string& id) {
    const access::Actor actor = d_.guard.actor(actor_id, "read " + payment_target(id));
    records::check_id(id, "pay", "a payment");
    const auto row = d_.store.payment(id);
    if (!row) fail(Errc::not_found, "no payment with this id");
    d_.guard.require(ctx.now, actor, Action::read, target_of(row->subject), payment_target(id));
    records::SubjectKeyCache keys(d_);
    Payment p = row->minimized_at ? decode(*row, retention_entry()) : decode(*row, keys.get(row->subject));
    d_.log.append_read(ctx.now, actor.id, "payment.read", row->subject, payment_target(id), "");
    return p;
}

std::vector<Payment> BillingService::list(const accounts::Context& ctx, const std::string& actor_id,
                                          const std::string& subject) {
    const access::Actor actor = d_.guard.actor(actor_id, "read billing", subject);
    records::check_id(subject, "acc", "an account");
    d_.guard.require(ctx.now, actor, Action::read, target_of(subject), "billing");
    std::vector<Payment> out;
    const auto rows = d_.store.payments(subject);
    if (rows.empty()) return out;
    // Minimised payments outlive the account and its key.
    records::SubjectKeyCache keys(d_);
    std::optional<records::SubjectKeyCache::Entry> kept;
    for (const auto& row : rows) {
        if (row.minimized_at) {
            if (!kept) kept = retention_entry();
            out.push_back(decode(row, *kept));
        } else {
            out.push_back(decode(row, keys.get(subject)));
        }
    }
    d_.log.append_read(ctx.now, actor.id, "payment.read", subject, "billing", "list:" + std::to_string(out.size()));
    return out;
}

records::SubjectKeyCache::Entry BillingService::retention_entry() {
    records::SubjectKeyCache::Entry e;
    e.key_version = 0;  // field AD under the retention key never matches a subject key's
    e.key = d_.retention_key();
    return e;
}

std::int64_t BillingService::minimize(const std::string& subject, const std::vector<std::string>& keep,
                                      std::int64_t now) {
    auto kept = [&](const char* field) { return std::find(keep.begin(), keep.end(), field) != keep.end(); };
    std::int64_t n = 0;
    records::SubjectKeyCache keys(d_);
    std::optional<records::SubjectKeyCache::Entry> to;
    for (auto row : d_.store.payments(subject)) {
        if (row.minimized_at) continue;
        if (!to) to = retention_entry();
        const Payment p = decode(row, keys.get(subject));
        if (!kept("amount")) row.amount_minor = 0;
        if (!kept("currency")) row.currency.clear();
        if (!kept("paid_at")) row.paid_at = 0;
        if (!kept("card_brand")) row.card_brand.clear();
        if (!kept("recurring")) row.recurring = false;
        if (!kept("billing_state")) row.billing_state.clear();
        row.last4 = records::seal(*to, kept("last4") ? p.last4 : std::string(), kPayments, "last4", row.id);
        row.billing_address = kept("billing_address")
                                  ? records::seal(*to, p.billing_address, kPayments, "billing_address", row.id)
                                  : std::nullopt;
        row.processor_ref = kept("processor_ref")
                                ? records::seal(*to, p.processor_ref, kPayments, "processor_ref", row.id)
                                : std::nullopt;
        row.tax_exemption = kept("tax_exemption")
                                ? records::seal(*to, p.tax_exemption, kPayments, "tax_exemption", row.id)
                                : std::nullopt;
        row.minimized_at = now;
        d_.store.update_payment(row);
        ++n;
    }
    return n;
}

}  // namespace casevault::billing
