// The data-subject export: one subject's whole document beside reading the
// same records through the existing per-record list APIs.
//
// The issue's target: exporting a subject who holds 1,000 records takes
// <= 20 ms on the 2-core machine.
//
// Fixture (once per run; Case Parallels' policy with board posts allowed to
// subjects): the subject has 1 account, 2 consent events, 10 cases (each a
// receipt number, a questionnaire, 3 status steps and 1 document), 900
// messages (800 email, 100 survey; ~300-byte bodies), 80 payments and 9
// posts: 1,000 records, 30 steps and 10 documents. Around it, 200 other
// subjects with 20 messages and 1 case each, so the subject's rows are not
// the only ones in their tables and indexes.
//
// - BM_SubjectExport: SubjectRequests::export_to into a sink that only
//   counts bytes (nothing kept), from one read snapshot, JSON built and
//   every sealed field opened. Manual time: the call. Counters: p50_ms /
//   p99_ms, bytes and chunks per export.
// - BM_SubjectExport_baseline_list_apis: the same records through the
//   existing facades, no JSON: Accounts::get, Consents::history/state/
//   receipts/subscriptions, Cases::list + history + documents per case,
//   Correspondence::list in pages of 500, Billing::list, Posts::list by
//   author, Requests::list, Holds::list, Retention::receipts_for and
//   Audit::read for the subject. Each is its own snapshot, as a host
//   assembling an export from them would do.
//
// Every export and every baseline read is audited, so the subject's audit
// section grows by a few entries per iteration; both benchmarks run a fixed
// 50 iterations so the growth (about 250 entries) is the same for both.
#include "bench_common.hpp"

#include <nlohmann/json.hpp>

namespace cv = casevault;

namespace {

constexpr std::int64_t kT0 = 1767225600;  // 2026-01-01T00:00:00Z

struct ExportFixture {
    bench::TempDir dir;
    std::vector<std::uint8_t> key = bench::random_bytes(32);
    std::optional<cv::Vault> vault;
    std::string subject;
    std::int64_t records = 0;

    ExportFixture() {
        vault.emplace(cv::Vault::open(dir.file("export.db"), bench::fixed_clock_options(key, true, kT0)));
        auto policy =
            nlohmann::json::parse(bench::read_text(std::string(CV_EXAMPLES_DIR) + "/policies/case-parallels.json"));
        policy["roles"][0]["grants"][0]["records"].push_back("post");
        vault->policy().publish(policy.dump());

        auto accounts = vault->accounts().create_many(bench::synthetic_batch(0, 201, "export"));
        subject = accounts[0].id;
        std::uint64_t receipt = 0;
        auto fill = [&](const std::string& who, int cases, int messages, int surveys, int payments, int posts) {
            for (int c = 0; c < cases; ++c) {
                cv::CaseFields f;
                f.form_type = "I-485";
                f.receipt_number = "EAC" + bench::pad(2100000000 + receipt++, 10);
                f.questionnaire = R"({"entry":"2019-05-01","employer":"Example Corp","children":2})";
                const std::string id = vault->cases().open(who, who, f).id;
                if (who != subject) continue;
                for (const char* s : {"received", "biometrics", "interview"}) {
                    vault->cases().add_status(who, id, {s, 0, "uscis", std::string("status note for the step")});
                }
                vault->cases().add_document(who, id, {"passport-scan.pdf", "passport", 204800, std::string(64, 'c')});
            }
            std::vector<cv::MessageFields> batch;
            for (int m = 0; m < messages + surveys; ++m) {
                cv::MessageFields f;
                f.subject = who;
                f.channel = m < messages ? cv::MessageChannel::email : cv::MessageChannel::survey;
                f.direction = m < messages ? cv::Direction::inbound : cv::Direction::inbound;
                if (m < messages) {
                    f.sender = "client" + std::to_string(m % 7) + "@example.com";
                    f.subject_line = "Question about my case, part " + std::to_string(m);
                }
                f.body = "Hello, I wanted to ask about the next step of my application and whether the documents "
                         "I sent last week arrived. My employer also asked for a letter; could you tell me what it "
                         "should say and when you expect an answer? Thank you for your help. (" +
                         std::to_string(m) + ")";
                batch.push_back(std::move(f));
            }
            vault->correspondence().record_many(who, batch);
            for (int p = 0; p < payments; ++p) {
                cv::PaymentFields f;
                f.subject = who;
                f.amount_minor = 4900 + p;
                f.currency = "USD";
                f.card_brand = "visa";
                f.last4 = "4242";
                f.billing_address = "12 Example Street, Springfield";
                f.processor_ref = "ch_" + std::to_string(p);
                f.billing_state = "NY";
                vault->billing().record(who, f);
            }
            for (int p = 0; p < posts; ++p) vault->posts().publish(who, {who, "A story", "What happened next."});
        };
        fill(subject, 10, 800, 100, 80, 9);
        records = 1 + 10 + 900 + 80 + 9;
        for (std::size_t i = 1; i < accounts.size(); ++i) fill(accounts[i].id, 1, 20, 0, 0, 0);
        cv::ConsentRequest terms;
        terms.subject = subject;
        terms.purpose = "terms";
        vault->consents().record(terms);
        vault->consents().subscribe(subject, "surveys");
    }
};

void BM_SubjectExport(benchmark::State& state) {
    auto& f = bench::shared_fixture<ExportFixture>();
    auto requests = f.vault->subject_requests();
    std::vector<double> ms;
    std::int64_t bytes = 0, chunks = 0;
    for (auto _ : state) {
        bytes = chunks = 0;
        const auto t0 = std::chrono::steady_clock::now();
        requests.export_to(f.subject, [&](const char*, std::size_t n) {
            bytes += static_cast<std::int64_t>(n);
            ++chunks;
            return true;
        });
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.SetIterationTime(s);
        ms.push_back(s * 1e3);
    }
    bench::report_percentiles(state, ms, "ms");
    state.counters["bytes"] = static_cast<double>(bytes);
    state.counters["chunks"] = static_cast<double>(chunks);
    state.counters["records"] = static_cast<double>(f.records);
}

void BM_SubjectExport_baseline_list_apis(benchmark::State& state) {
    auto& f = bench::shared_fixture<ExportFixture>();
    cv::Vault& v = *f.vault;
    const std::string& s = f.subject;
    std::vector<double> ms;
    std::int64_t seen = 0;
    for (auto _ : state) {
        seen = 0;
        const auto t0 = std::chrono::steady_clock::now();
        benchmark::DoNotOptimize(v.accounts().get(s));
        seen += 1;
        seen += static_cast<std::int64_t>(v.consents().history(s).size() + v.consents().state(s).size());
        benchmark::DoNotOptimize(v.consents().receipts(s));
        benchmark::DoNotOptimize(v.consents().subscriptions(s));
        for (const auto& c : v.cases().list(s, s)) {
            seen += 1 + static_cast<std::int64_t>(v.cases().history(s, c.id).size() + v.cases().documents(s, c.id).size());
        }
        cv::MessageListOptions o;
        o.limit = 500;
        for (;;) {
            const auto page = v.correspondence().list(s, s, o);
            seen += static_cast<std::int64_t>(page.items.size());
            if (page.next_cursor.empty()) break;
            o.after_id = page.next_cursor;
        }
        seen += static_cast<std::int64_t>(v.billing().list(s, s).size());
        cv::PostListOptions p;
        p.author = s;
        p.limit = 500;
        seen += static_cast<std::int64_t>(v.posts().list(s, p).items.size());
        seen += static_cast<std::int64_t>(v.requests().list(s).size() + v.holds().list(s, true).size() +
                                          v.retention().receipts_for(s).size());
        cv::AuditFilter a;
        a.subject = s;
        a.limit = 100000;
        seen += static_cast<std::int64_t>(v.audit().read(a).size());
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        state.SetIterationTime(secs);
        ms.push_back(secs * 1e3);
    }
    bench::report_percentiles(state, ms, "ms");
    state.counters["items"] = static_cast<double>(seen);
}

}  // namespace

BENCHMARK(BM_SubjectExport)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(50);
BENCHMARK(BM_SubjectExport_baseline_list_apis)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(50);
