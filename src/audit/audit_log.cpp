#include "audit/audit_log.hpp"

#include "common/error.hpp"
#include "crypto/primitives.hpp"

namespace casevault::audit {

namespace {

constexpr std::size_t kMacBytes = 32;

void put_u64(store::Bytes& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<unsigned char>(v >> (8 * i)));
}

void put_str(store::Bytes& out, const std::string& s) {
    const auto n = static_cast<std::uint32_t>(s.size());
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<unsigned char>(n >> (8 * i)));
    out.insert(out.end(), s.begin(), s.end());
}

AuditEntry to_entry(const store::AuditRow& r) {
    return AuditEntry{r.seq, r.at, r.actor, r.action, r.subject, r.target, r.outcome, r.reason};
}

std::string head_string(std::int64_t seq, const store::Bytes& mac) {
    return std::to_string(seq) + ":" + crypto::to_hex(mac.data(), mac.size());
}

}  // namespace

store::Bytes AuditLog::genesis() { return store::Bytes(kMacBytes, 0); }

store::Bytes AuditLog::mac(const store::Bytes& prev, const store::AuditRow& r) const {
    store::Bytes msg;
    msg.reserve(128);
    msg.insert(msg.end(), prev.begin(), prev.end());
    put_u64(msg, static_cast<std::uint64_t>(r.seq));
    put_u64(msg, static_cast<std::uint64_t>(r.at));
    for (const std::string* s : {&r.actor, &r.action, &r.subject, &r.target, &r.outcome, &r.reason}) {
        put_str(msg, *s);
    }
    store::Bytes out(kMacBytes);
    crypto::keyed_hash(out.data(), out.size(), key_.data(), key_.size(), msg.data(), msg.size());
    return out;
}

void AuditLog::append(std::int64_t at, const std::string& actor, const std::string& action,
                      const std::string& subject, const std::string& target, const std::string& outcome,
                      const std::string& reason) {
    if (!head_) {
        const auto last = store_.last_audit();
        head_ = last ? Head{last->seq, last->mac} : Head{0, genesis()};
    }
    store::AuditRow row{head_->seq + 1, at, actor, action, subject, target, outcome, reason, {}};
    row.mac = mac(head_->mac, row);
    store_.append_audit(row);
    head_ = Head{row.seq, std::move(row.mac)};
}

void AuditLog::append_read(std::int64_t at, const std::string& actor, const std::string& action,
                           const std::string& subject, const std::string& target, const std::string& reason,
                           const char* outcome) {
    if (!batch_reads_) {
        append(at, actor, action, subject, target, outcome, reason);
        return;
    }
    pending_.push_back(store::AuditRow{0, at, actor, action, subject, target, outcome, reason, {}});
}

void AuditLog::flush_pending() {
    for (; flushed_ < pending_.size(); ++flushed_) {
        const auto& r = pending_[flushed_];
        append(r.at, r.actor, r.action, r.subject, r.target, r.outcome, r.reason);
    }
}

std::vector<AuditEntry> AuditLog::read(const AuditFilter& f) {
    if (f.limit == 0 || f.limit > 100000) fail(Errc::invalid_argument, "audit limit must be in 1..100000");
    for (const auto* v : {&f.subject, &f.actor, &f.action}) {
        if (*v && (*v)->size() > 256) fail(Errc::invalid_argument, "audit filter values are at most 256 bytes");
    }
    store::AuditQuery q;
    q.subject = f.subject;
    q.actor = f.actor;
    if (f.action) {
        if (!f.action->empty() && f.action->back() == '.') q.action_prefix = f.action;
        else q.action = f.action;
    }
    q.since = f.since;
    q.until = f.until;
    q.after_seq = f.after_seq;
    q.limit = f.limit;
    std::vector<AuditEntry> out;
    for (const auto& r : store_.audit(q)) out.push_back(to_entry(r));
    return out;
}

AuditVerifyResult AuditLog::verify(const std::optional<std::string>& expected_head) {
    AuditVerifyResult res;
    std::int64_t expected_seq = 0;
    store::Bytes expected_mac;
    if (expected_head) {
        const auto colon = expected_head->find(':');
        bool ok = colon != std::string::npos && colon > 0;
        if (ok) {
            try {
                expected_seq = std::stoll(expected_head->substr(0, colon));
            } catch (...) {
                ok = false;
            }
        }
        ok = ok && expected_seq > 0 && crypto::from_hex(expected_head->substr(colon + 1), expected_mac) &&
             expected_mac.size() == kMacBytes;
        if (!ok) fail(Errc::invalid_argument, "expected_head must look like \"<seq>:<64 hex digits>\"");
    }

    store::Bytes prev = genesis();
    std::int64_t prev_seq = 0;
    bool saw_expected = false;
    auto bad = [&res](std::int64_t seq, std::string problem) {
        if (!res.ok) return;
        res.ok = false;
        res.first_bad_seq = seq;
        res.problem = std::move(problem);
    };
    store_.for_each_audit([&](const store::AuditRow& r) {
        if (!res.ok) return;
        ++res.entries;
        if (r.seq != prev_seq + 1) {
            bad(r.seq, r.seq > prev_seq + 1
                           ? "entries missing before this one (seq jumps from " + std::to_string(prev_seq) + ")"
                           : "entry out of order");
            return;
        }
        const store::Bytes m = mac(prev, r);
        if (r.mac.size() != kMacBytes || !crypto::equal_ct(m.data(), r.mac.data(), kMacBytes)) {
            bad(r.seq, "entry altered, inserted or moved (its MAC does not match)");
            return;
        }
        if (expected_head && r.seq == expected_seq) {
            if (!crypto::equal_ct(r.mac.data(), expected_mac.data(), kMacBytes)) {
                bad(r.seq, "entry differs from the recorded head");
                return;
            }
            saw_expected = true;
        }
        prev = r.mac;
        prev_seq = r.seq;
    });
    if (res.ok && expected_head && !saw_expected) {
        bad(prev_seq + 1, "log truncated: the recorded head (entry " + std::to_string(expected_seq) + ") is gone");
    }
    if (prev_seq > 0) res.head = head_string(prev_seq, prev);
    return res;
}

void rechain(store::Store& store, const AuditLog& old_log, const crypto::SecretBytes& new_key,
             const std::function<void(std::int64_t)>& on_entry) {
    AuditLog new_log(store, new_key.clone());
    store::Bytes prev_old = AuditLog::genesis();
    store::Bytes prev_new = AuditLog::genesis();
    std::int64_t prev_seq = 0;
    std::vector<std::pair<std::int64_t, store::Bytes>> updates;
    store.for_each_audit([&](const store::AuditRow& r) {
        const store::Bytes m = old_log.mac(prev_old, r);
        if (r.seq != prev_seq + 1 || r.mac.size() != m.size() || !crypto::equal_ct(m.data(), r.mac.data(), m.size())) {
            fail(Errc::corrupt, "the audit chain fails verification at entry " + std::to_string(r.seq) +
                                    "; refusing to re-key over it (run audit verify)");
        }
        prev_old = r.mac;
        prev_seq = r.seq;
        prev_new = new_log.mac(prev_new, r);
        updates.emplace_back(r.seq, prev_new);
    });
    for (const auto& [seq, mac] : updates) {
        store.set_audit_mac(seq, mac);
        if (on_entry) on_entry(seq);
    }
}

}  // namespace casevault::audit
