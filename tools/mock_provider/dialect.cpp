// dialect.cpp — the dialects' shared defaults, and the table of which dialect serves a path.
#include "dialect.hpp"

namespace mock {

void Dialect::append_embeddings(std::string& out, const Completion& c) const {
    (void)c;
    out += R"x({"error":"this dialect has no embeddings endpoint (mock)"})x";
}

bool Dialect::admit(std::string_view, std::string_view, const HeaderView&, ScriptedError&) const { return true; }

void Dialect::append_keep_alive(std::string& out, std::string_view eol) const {
    out.append(": mock keep-alive").append(eol).append(eol);
}

void Dialect::append_stream_open(std::string& out, const Completion& c, std::string_view eol) const {
    (void)out;
    (void)c;
    (void)eol;
}

const Dialect* dialect_for(std::string_view path, std::string_view query, RouteMatch& out) {
    static const Dialect* const dialects[] = {&openai_dialect(), &gemini_dialect()};
    for (const Dialect* d : dialects)
        if (d->match(path, query, out)) return d;
    return nullptr;
}

}  // namespace mock
