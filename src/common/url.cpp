// url.cpp — apiBase validation on libcurl's URL API (curl_url), so that what is accepted here
// is exactly what the transport will parse later.
#include "common/url.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>

namespace sw {

namespace {
struct UrlDeleter {
    void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
struct PartDeleter {
    void operator()(char* p) const { curl_free(p); }
};
using Part = std::unique_ptr<char, PartDeleter>;

Part get_part(CURLU* url, CURLUPart which) {
    char* out = nullptr;
    if (curl_url_get(url, which, &out, 0) != CURLUE_OK) return Part();
    return Part(out);
}

std::unique_ptr<CURLU, UrlDeleter> parse(std::string_view text) {
    std::unique_ptr<CURLU, UrlDeleter> url(curl_url());
    if (!url) return nullptr;
    // NON_SUPPORT_SCHEME: parse any scheme, so that the message can name the wrong one.
    if (curl_url_set(url.get(), CURLUPART_URL, std::string(text).c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK)
        return nullptr;
    return url;
}
}  // namespace

std::string check_api_base(std::string_view text) {
    for (char c : text) {
        unsigned char u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return "must not contain spaces or control characters (CR, LF, NUL, ...)";
    }
    auto url = parse(text);
    if (!url) return "not a valid URL; expected something like https://api.example.com/v1";
    Part scheme = get_part(url.get(), CURLUPART_SCHEME);
    std::string_view s = scheme ? scheme.get() : "";
    if (s != "https" && s != "http")
        return fmt::format("scheme \"{}\" is not allowed; use https (or http for a local server)", s);
    if (!get_part(url.get(), CURLUPART_HOST)) return "has no host";
    if (get_part(url.get(), CURLUPART_USER) || get_part(url.get(), CURLUPART_PASSWORD))
        return "must not contain user name or password; use credentialsRef";
    if (get_part(url.get(), CURLUPART_QUERY) || get_part(url.get(), CURLUPART_FRAGMENT))
        return "must not have a query or fragment; use headers or providerParams";
    return {};
}

bool is_loopback_url(std::string_view text) {
    auto url = parse(text);
    if (!url) return false;
    Part host = get_part(url.get(), CURLUPART_HOST);
    if (!host) return false;
    std::string_view h = host.get();
    if (h == "localhost" || h == "[::1]") return true;
    // 127.x.y.z as an IPv4 literal only: "127.example.com" is a public name.
    if (h.rfind("127.", 0) != 0) return false;
    int dots = 0;
    for (char c : h) {
        if (c == '.') ++dots;
        else if (c < '0' || c > '9') return false;
    }
    return dots == 3;
}

}  // namespace sw
