// casevault_bench: Google Benchmark main with a closing summary that sets
// every casevault figure beside its plain-SQLCipher baseline (accounts,
// open, consent decisions and the consent ledger, cases, access decisions,
// correspondence, the retention sweep).
//
//   casevault_bench [--benchmark_filter=...] [any Google Benchmark flag]
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <tuple>

#include <unistd.h>

#include "bench_common.hpp"

namespace {

// The console output, plus a copy of each result for the summary (for
// repeated benchmarks, the median).
class SummaryReporter : public benchmark::ConsoleReporter {
public:
    explicit SummaryReporter(OutputOptions opts) : ConsoleReporter(opts) {}
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& r : runs) {
            if (r.error_occurred) continue;
            if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
            std::string key = r.run_name.function_name;
            if (!r.run_name.args.empty()) key += "/" + r.run_name.args;
            results[key] = r;
        }
    }
    std::map<std::string, Run> results;
};

double seconds_per_op(const benchmark::BenchmarkReporter::Run& r) {
    double unit = 1e-9;
    switch (r.time_unit) {
        case benchmark::kNanosecond: unit = 1e-9; break;
        case benchmark::kMicrosecond: unit = 1e-6; break;
        case benchmark::kMillisecond: unit = 1e-3; break;
        case benchmark::kSecond: unit = 1.0; break;
    }
    return r.GetAdjustedRealTime() * unit;
}

double counter(const benchmark::BenchmarkReporter::Run& r, const char* name) {
    auto it = r.counters.find(name);
    return it == r.counters.end() ? 0.0 : it->second.value;
}

void print_summary(const std::map<std::string, benchmark::BenchmarkReporter::Run>& res) {
    auto find = [&res](const char* k) -> const benchmark::BenchmarkReporter::Run* {
        auto it = res.find(k);
        return it == res.end() ? nullptr : &it->second;
    };
    std::printf("\n== casevault vs plain SQLCipher (same cipher settings and pragmas), %u cores ==\n",
                std::thread::hardware_concurrency());
    std::printf("%-40s %14s %14s %7s\n", "", "casevault", "plain", "ratio");

    const auto* cc = find("BM_AccountCreate_casevault");
    const auto* cp = find("BM_AccountCreate_baseline_plain_sqlcipher");
    if (cc && cp) {
        const double c = counter(*cc, "items_per_second"), p = counter(*cp, "items_per_second");
        std::printf("%-40s %10.0f /s  %10.0f /s  %6.1fx\n", "create, 1000 per tx (accounts/s)", c, p, p / c);
    }
    const auto* fp = find("BM_FindByEmail_baseline_plain_sqlcipher");
    for (const auto& [key, label] : {std::pair{"BM_FindByEmail", "find_by_email p50, 10k (batched audit)"},
                                     std::pair{"BM_FindByEmail_audit_each_read", "find_by_email p50, audit each read"}}) {
        const auto* fc = find(key);
        if (!fc || !fp) continue;
        const double c = counter(*fc, "p50_us"), p = counter(*fp, "p50_us");
        std::printf("%-40s %10.1f us  %10.1f us  %6.1fx   (p99 %.0f / %.0f us, mean %.1f / %.1f us)\n", label, c,
                    p, c / p, counter(*fc, "p99_us"), counter(*fp, "p99_us"), seconds_per_op(*fc) * 1e6,
                    seconds_per_op(*fp) * 1e6);
    }
    const auto* oc = find("BM_OpenRawKey");
    const auto* op = find("BM_Open_baseline_plain_sqlcipher");
    if (oc && op) {
        const double c = seconds_per_op(*oc) * 1e3, p = seconds_per_op(*op) * 1e3;
        std::printf("%-40s %10.2f ms  %10.2f ms  %6.1fx\n", "open + close, raw key", c, p, c / p);
    }
    // Consent: decisions (p50 of single calls) and the ledger (events/s).
    const auto* mp = find("BM_MayProcess_baseline_plain_select");
    for (const auto& [key, label, target] :
         {std::tuple{"BM_MayProcess_cached", "may_process p50, cached subject", 1000.0},
          std::tuple{"BM_MayProcess_cold", "may_process p50, cold subject", 20000.0},
          std::tuple{"BM_MayProcess_after_own_write", "may_process p50, right after a write", 0.0}}) {
        const auto* mc = find(key);
        if (!mc || !mp) continue;
        const double c = counter(*mc, "p50_ns"), p = counter(*mp, "p50_ns");
        const std::string goal = target > 0 ? "; target <= " + std::to_string(static_cast<long>(target)) +
                                                  " ns: " + (c <= target ? "met" : "MISSED")
                                            : "";
        std::printf("%-40s %10.0f ns  %10.0f ns  %6.1fx   (p99 %.0f / %.0f ns, mean %.0f / %.0f ns%s)\n", label, c, p,
                    c / p, counter(*mc, "p99_ns"), counter(*mp, "p99_ns"), seconds_per_op(*mc) * 1e9,
                    seconds_per_op(*mp) * 1e9, goal.c_str());
    }
    // Baseline: the ledger rows alone (state:0); in brackets, also the state row (state:1).
    for (const auto& [key, base, label] :
         {std::tuple{"random:0/evidence:0", "random:0", "record_many, 1000/tx, creation order"},
          std::tuple{"random:1/evidence:0", "random:1", "record_many, 1000/tx, random order"},
          std::tuple{"random:1/evidence:1", "random:1", "  the same, with evidence"}}) {
        const auto* rc = find((std::string("BM_ConsentRecordMany/") + key).c_str());
        const auto* rp = find((std::string("BM_ConsentRecord_baseline_plain_sqlcipher/") + base + "/state:0").c_str());
        const auto* rs = find((std::string("BM_ConsentRecord_baseline_plain_sqlcipher/") + base + "/state:1").c_str());
        if (!rc || !rp) continue;
        const double c = counter(*rc, "items_per_second"), p = counter(*rp, "items_per_second");
        std::printf("%-40s %10.0f /s  %10.0f /s  %6.1fx   (events/s, p50 batch %.0f / %.0f; with state row %.0f /s;"
                    " target >= 50000: %s)\n",
                    label, c, p, p / c, counter(*rc, "p50_events_per_s"), counter(*rp, "p50_events_per_s"),
                    rs ? counter(*rs, "items_per_second") : 0.0, c >= 50000 ? "met" : "MISSED");
    }
    // Cases, team access, correspondence.
    for (const auto& [key, base, label, unit, target] :
         {std::tuple{"BM_FindByReceipt", "BM_FindByReceipt_baseline_plain_select", "find case by receipt p50", "us", 20.0},
          std::tuple{"BM_AccessDecision", "BM_AccessDecision_baseline_plain_select", "access decision p50 (can)", "ns",
                     2000.0}}) {
        const auto* c = find(key);
        const auto* p = find(base);
        if (!c || !p) continue;
        const std::string k50 = std::string("p50_") + unit, k99 = std::string("p99_") + unit;
        const double cv = counter(*c, k50.c_str()), pv = counter(*p, k50.c_str());
        std::printf("%-40s %10.1f %s  %10.1f %s  %6.1fx   (p99 %.1f / %.1f %s; target <= %.0f %s: %s)\n", label, cv,
                    unit, pv, unit, cv / pv, counter(*c, k99.c_str()), counter(*p, k99.c_str()), unit, target, unit,
                    cv <= target ? "met" : "MISSED");
    }
    for (const auto& [arg, label] : {std::pair{"random:0", "record messages, 1000/tx, one subject"},
                                     std::pair{"random:1", "record messages, 1000/tx, random subjects"}}) {
        const auto* c = find((std::string("BM_RecordMessages/") + arg).c_str());
        const auto* p = find((std::string("BM_RecordMessages_baseline_plain_sqlcipher/") + arg).c_str());
        if (!c || !p) continue;
        const double cv = counter(*c, "items_per_second"), pv = counter(*p, "items_per_second");
        std::printf("%-40s %10.0f /s  %10.0f /s  %6.1fx   (target >= 50000: %s)\n", label, cv, pv, pv / cv,
                    cv >= 50000 ? "met" : "MISSED");
    }
    // The retention sweep: 10,000 due subjects in stores of 1M and 10M.
    const auto* sw1 = find("BM_Sweep/subjects:1000000");
    for (const auto& [arg, label] : {std::pair{"subjects:1000000", "sweep, 10k due of 1M (erasures/s)"},
                                     std::pair{"subjects:10000000", "sweep, 10k due of 10M (erasures/s)"}}) {
        const auto* c = find((std::string("BM_Sweep/") + arg).c_str());
        const auto* p = find((std::string("BM_Sweep_baseline_plain_delete/") + arg).c_str());
        if (!c) continue;
        const double cv = counter(*c, "erasures_per_s"), pv = p ? counter(*p, "erasures_per_s") : 0.0;
        const double secs = seconds_per_op(*c);
        std::string goal;
        if (c == sw1) {
            goal = std::string("target <= 2 s: ") + (secs <= 2.0 ? "met" : "MISSED");
        } else if (sw1) {
            const double x = secs / seconds_per_op(*sw1);
            char buf[96];
            std::snprintf(buf, sizeof buf, "%.2fx the 1M sweep; target <= 1.5x: %s", x, x <= 1.5 ? "met" : "MISSED");
            goal = buf;
        }
        std::printf("%-40s %10.0f /s  %10.0f /s  %6.1fx   (%.2f s, cpu %.2f s; peak RSS %.0f MB, +%.1f MB in the"
                    " sweep; %s)\n",
                    label, cv, pv, pv > 0 ? pv / cv : 0.0, secs, counter(*c, "cpu_s"), counter(*c, "peak_rss_MB"),
                    counter(*c, "sweep_rss_growth_MB"), goal.c_str());
    }
    // The data-subject export: one subject holding 1,000 records.
    if (const auto* ec = find("BM_SubjectExport")) {
        const auto* ep = find("BM_SubjectExport_baseline_list_apis");
        const double c = counter(*ec, "p50_ms"), p = ep ? counter(*ep, "p50_ms") : 0.0;
        std::printf("%-40s %10.2f ms  %10.2f ms  %6.1fx   (p99 %.2f / %.2f ms, %.0f KB; baseline: the list APIs,"
                    " no JSON; target <= 20 ms: %s)\n",
                    "export, 1 subject of 1,000 records p50", c, p, p > 0 ? c / p : 0.0, counter(*ec, "p99_ms"),
                    ep ? counter(*ep, "p99_ms") : 0.0, counter(*ec, "bytes") / 1024, c <= 20.0 ? "met" : "MISSED");
    }
    // The de-identified aggregates: the cases table over 1,000,000 cases.
    if (const auto* ac = find("BM_AggregatesCases")) {
        const auto* ap = find("BM_AggregatesCases_baseline_plain_group_by");
        const double c = seconds_per_op(*ac), p = ap ? seconds_per_op(*ap) : 0.0;
        std::printf("%-40s %10.0f ms  %10.0f ms  %6.1fx   (cpu %.0f / %.0f ms, %.0f cells, %.0f suppressed;"
                    " baseline: GROUP BY with strftime; target <= 1 s: %s)\n",
                    "aggregates, cases of 1M", c * 1e3, p * 1e3, p > 0 ? c / p : 0.0, counter(*ac, "cpu_s") * 1e3,
                    ap ? counter(*ap, "cpu_s") * 1e3 : 0.0, counter(*ac, "cells"), counter(*ac, "suppressed"),
                    c <= 1.0 ? "met" : "MISSED");
    }
    for (const auto& [key, label] : {std::pair{"BM_OpenPassphrase/interactive", "open + close, passphrase, interactive"},
                                     std::pair{"BM_OpenPassphrase/default", "open + close, passphrase, default"}}) {
        const auto* r = find(key);
        if (!r) continue;
        std::printf("%-40s %10.1f ms  %14s %7s   (Argon2id opslimit %.0f, %.0f MiB)\n", label,
                    seconds_per_op(*r) * 1e3, "-", "", counter(*r, "opslimit"), counter(*r, "mem_MiB"));
    }
}

}  // namespace

int main(int argc, char** argv) {
    // The summary needs the console reporter; another --benchmark_format gets the library's own.
    bool console = true;
    bool color = isatty(STDOUT_FILENO) != 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--benchmark_format=", 19) == 0 && std::strcmp(argv[i] + 19, "console") != 0) {
            console = false;
        }
        if (std::strncmp(argv[i], "--benchmark_color=", 18) == 0) {
            const char* v = argv[i] + 18;
            color = std::strcmp(v, "true") == 0 || std::strcmp(v, "yes") == 0 ||
                    (std::strcmp(v, "auto") == 0 && isatty(STDOUT_FILENO));
        }
    }
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    int rc = 0;
    try {
        if (console) {
            SummaryReporter reporter(color ? benchmark::ConsoleReporter::OO_ColorTabular
                                           : benchmark::ConsoleReporter::OO_Tabular);
            benchmark::RunSpecifiedBenchmarks(&reporter);
            print_summary(reporter.results);
        } else {
            benchmark::RunSpecifiedBenchmarks();
        }
    } catch (const casevault::Error& e) {
        std::cerr << "casevault_bench: " << e.what() << " (" << casevault::errc_name(e.code()) << ")\n";
        rc = 1;
    } catch (const std::exception& e) {
        std::cerr << "casevault_bench: " << e.what() << "\n";
        rc = 1;
    }
    for (auto& c : bench::cleanups()) c();
    bench::cleanups().clear();
    benchmark::Shutdown();
    return rc;
}
