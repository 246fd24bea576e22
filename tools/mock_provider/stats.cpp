// stats.cpp — the shared counters behind GET /__stats and POST /__reset.
#include "stats.hpp"

#include "bodies.hpp"

#include <algorithm>
#include <map>

namespace mock {

Stats::Attempt Stats::record_attempt(std::string_view key, const HeaderView& headers) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    auto it = keys_.find(key);
    if (it == keys_.end()) it = keys_.emplace(std::string(key), Entry{0, now, {}}).first;
    Entry& e = it->second;
    // assign() reuses each string's buffer, so a steady stream of requests does not allocate here.
    e.headers.resize(headers.size());
    for (std::size_t i = 0; i < headers.size(); ++i) {
        std::string& name = e.headers[i].first;
        name.assign(headers[i].first);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
        e.headers[i].second.assign(headers[i].second);
    }
    return {++e.attempts, std::chrono::duration_cast<std::chrono::milliseconds>(now - e.first).count()};
}

std::string Stats::to_json() const {
    std::lock_guard lock(mutex_);
    // Sorted keys make the output stable for humans diffing two snapshots.
    std::map<std::string_view, const Entry*> sorted;
    for (const auto& [key, entry] : keys_) sorted.emplace(key, &entry);

    std::string out = "{\"total\":" + std::to_string(total_.load(std::memory_order_relaxed)) + ",\"attempts\":{";
    bool first = true;
    for (const auto& [key, entry] : sorted) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':' + std::to_string(entry->attempts);
    }
    out += "},\"last_headers\":{";
    first = true;
    for (const auto& [key, entry] : sorted) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ":{";
        // A repeated header keeps its last value, as a JSON object can hold a name once.
        std::map<std::string_view, std::string_view> names;
        for (const auto& [name, value] : entry->headers) names[name] = value;
        bool first_header = true;
        for (const auto& [name, value] : names) {
            if (!first_header) out += ',';
            first_header = false;
            append_json_string(out, name);
            out += ':';
            append_json_string(out, value);
        }
        out += '}';
    }
    out += "}}";
    return out;
}

void Stats::reset() {
    std::lock_guard lock(mutex_);
    keys_.clear();
    total_.store(0, std::memory_order_relaxed);
}

}  // namespace mock
