// credential_servers.hpp — the real servers the credential-source tests run on loopback: an
// OpenBao dev server (Vault's API), moto (AWS Secrets Manager and a lenient IMDS) and a strict
// IMDSv2 of our own (imds_server.py). tools/credential_servers.sh installs the first two into
// BUILD_DIR/cred-servers-venv; where they are absent the tests say so and are skipped (a ctest
// skip, through SKIPPED_MARK), or fail under CI=true.
#pragma once

#include "loopback_port.hpp"

#include "common/sigv4.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <simdjson.h>
#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace sw::test {

inline constexpr const char* kCredentialServersSkip = "SKIPPED: credential servers";

// The venv's bin directory, when both servers are installed there.
inline std::optional<std::string> credential_servers_bin() {
    const std::string bin = SWITCH_CRED_SERVERS_BIN;
    if (std::filesystem::exists(bin + "/bao") && std::filesystem::exists(bin + "/moto_server")) return bin;
    return std::nullopt;
}

inline bool running_in_ci() {
    const char* ci = std::getenv("CI");
    return ci && std::string(ci) == "true";
}

struct HttpAnswer {
    long status = 0;  // 0: no answer
    std::string body;
};

// A blocking request for the tests' own setup (never the code under test).
inline HttpAnswer http_call(const std::string& method, const std::string& url, const std::vector<std::string>& headers = {},
                            const std::string& body = "") {
    CURL* curl = curl_easy_init();
    HttpAnswer answer;
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    if (!body.empty() || method == "POST" || method == "PUT") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
    // The tests' own setup calls trust the dev servers' self-made certificates; the code under
    // test verifies them (see the vault TLS test).
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(
        curl, CURLOPT_WRITEFUNCTION, +[](char* data, std::size_t size, std::size_t n, void* out) {
            static_cast<std::string*>(out)->append(data, size * n);
            return size * n;
        });
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
    if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return answer;
}

// A child process: its output in a log file (or, with `read_banner`, its first stdout line read
// back), its stdin a pipe that closing stops servers which watch it. Killed and reaped at the end.
class ChildServer {
public:
    ChildServer(std::vector<std::string> argv, bool read_banner) {
        int in[2], out[2];
        if (::pipe(in) != 0 || ::pipe(out) != 0) throw std::runtime_error("pipe");
        log_ = std::filesystem::temp_directory_path() / fmt::format("switch-cred-server-{}-{}.log", ::getpid(), ++count());
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, in[0], 0);
        posix_spawn_file_actions_addclose(&actions, in[1]);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        if (read_banner) {
            posix_spawn_file_actions_adddup2(&actions, out[1], 1);
            posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            posix_spawn_file_actions_adddup2(&actions, 1, 2);
        }
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(a.data());
        args.push_back(nullptr);
        const int rc = ::posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ::close(in[0]);
        ::close(out[1]);
        stdin_ = in[1];
        if (rc != 0) {
            ::close(out[0]);
            throw std::runtime_error("cannot start " + argv[0]);
        }
        if (read_banner) {
            char c;
            while (::read(out[0], &c, 1) == 1 && c != '\n') banner_ += c;
        }
        ::close(out[0]);
    }
    ~ChildServer() { stop(); }
    ChildServer(const ChildServer&) = delete;
    ChildServer& operator=(const ChildServer&) = delete;

    void stop() {
        if (pid_ <= 0) return;
        ::close(stdin_);
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = 0;
    }
    const std::string& banner() const { return banner_; }
    std::string log() const { return file_text(log_); }
    static std::string file_text(const std::filesystem::path& path) {
        std::string text;
        if (FILE* f = std::fopen(path.c_str(), "rb")) {
            char buf[4096];
            std::size_t n;
            while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
            std::fclose(f);
        }
        return text;
    }
    // Polls `url` until it answers at all, for up to 30 s.
    void wait_until_answering(const std::string& url) const {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (http_call("GET", url).status == 0) {
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error("server did not start; its log:\n" + log());
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    }

private:
    static int& count() {
        static int n = 0;
        return n;
    }
    pid_t pid_ = 0;
    int stdin_ = -1;
    std::filesystem::path log_;
    std::string banner_;
};

inline std::string json_field(const std::string& body, const char* a, const char* b) {
    simdjson::dom::parser parser;
    std::string_view v;
    if (parser.parse(body)[a][b].get(v)) throw std::runtime_error(fmt::format("no {}.{} in {}", a, b, body));
    return std::string(v);
}

// `bao server -dev`: in memory, unsealed, KV v2 at secret/, the root token given.
class BaoServer {
public:
    static constexpr const char* kRootToken = "root-canary-token-7f6e5d";
    // With `tls`, the dev server makes its own CA and certificate (-dev-tls), in a temp dir.
    explicit BaoServer(const std::string& bin, bool tls = false)
        : port_(closed_port()),
          tls_dir_(tls ? std::filesystem::temp_directory_path() / fmt::format("switch-bao-tls-{}-{}", ::getpid(), port_)
                       : std::filesystem::path()),
          child_(arguments(bin, port_, tls_dir_), false) {
        child_.wait_until_answering(address() + "/v1/sys/health");
    }
    ~BaoServer() {
        if (!tls_dir_.empty()) {
            std::error_code ec;
            std::filesystem::remove_all(tls_dir_, ec);
        }
    }
    std::string address() const { return fmt::format("{}://127.0.0.1:{}", tls_dir_.empty() ? "http" : "https", port_); }
    // The CA the -dev-tls certificate is signed by.
    std::string ca_file() const {
        for (const char* name : {"vault-ca.pem", "bao-ca.pem", "openbao-ca.pem"})
            if (std::filesystem::exists(tls_dir_ / name)) return (tls_dir_ / name).string();
        throw std::runtime_error("bao -dev-tls wrote no CA file into " + tls_dir_.string());
    }
    HttpAnswer call(const std::string& method, const std::string& path, const std::string& body = "") const {
        return http_call(method, address() + "/v1/" + path,
                         {std::string("X-Vault-Token: ") + kRootToken, "Content-Type: application/json"}, body);
    }
    // Writes a new version of secret/<name> with these fields (JSON members).
    void put_secret(const std::string& name, const std::string& members) const {
        auto a = call("POST", "secret/data/" + name, "{\"data\":{" + members + "}}");
        if (a.status != 200) throw std::runtime_error("bao: cannot write secret: " + a.body);
    }
    // An AppRole "router" that may read secret/*; returns {role_id, secret_id}.
    std::pair<std::string, std::string> approle() const {
        call("POST", "sys/auth/approle", R"({"type":"approle"})");
        call("PUT", "sys/policies/acl/read-secrets",
             R"({"policy":"path \"secret/data/*\" { capabilities = [\"read\"] }"})");
        auto created = call("POST", "auth/approle/role/router", R"({"token_policies":["read-secrets"]})");
        if (created.status != 204 && created.status != 200) throw std::runtime_error("bao: approle role: " + created.body);
        const std::string role_id = json_field(call("GET", "auth/approle/role/router/role-id").body, "data", "role_id");
        const std::string secret_id =
            json_field(call("POST", "auth/approle/role/router/secret-id").body, "data", "secret_id");
        return {role_id, secret_id};
    }
    void seal() const {
        auto a = call("PUT", "sys/seal");
        if (a.status != 204 && a.status != 200) throw std::runtime_error("bao: cannot seal: " + a.body);
    }
    std::string log() const { return child_.log(); }

private:
    static std::vector<std::string> arguments(const std::string& bin, int port, const std::filesystem::path& tls_dir) {
        std::vector<std::string> argv = {bin + "/bao", "server", "-dev", std::string("-dev-root-token-id=") + kRootToken,
                                         fmt::format("-dev-listen-address=127.0.0.1:{}", port), "-dev-no-store-token"};
        if (!tls_dir.empty()) {
            std::filesystem::create_directories(tls_dir);
            argv.emplace_back("-dev-tls");
            argv.push_back("-dev-tls-cert-dir=" + tls_dir.string());
        }
        return argv;
    }
    int port_;
    std::filesystem::path tls_dir_;
    ChildServer child_;
};

// `moto_server`: Secrets Manager (any keys are accepted) and a lenient IMDS at the same address.
class MotoServer {
public:
    explicit MotoServer(const std::string& bin)
        : port_(closed_port()), child_({bin + "/moto_server", "-H", "127.0.0.1", "-p", std::to_string(port_)}, false) {
        child_.wait_until_answering(endpoint() + "/moto-api/");
    }
    std::string endpoint() const { return fmt::format("http://127.0.0.1:{}", port_); }
    // A Secrets Manager call, signed as the SDKs sign it (moto reads the service from the scope).
    HttpAnswer call(const std::string& target, const std::string& body) const {
        const std::string host = fmt::format("127.0.0.1:{}", port_);
        aws::RequestToSign request{"POST", "/", {}, {{"Host", host}, {"Content-Type", "application/x-amz-json-1.1"},
                                                    {"X-Amz-Target", "secretsmanager." + target}}, body};
        const aws::SigningParams params{"us-east-1", "secretsmanager", std::chrono::system_clock::now()};
        auto signature = aws::sign_headers(request, {"AKIDTESTSETUP", "test-setup-secret", ""}, params);
        std::vector<std::string> headers;
        for (const auto& [k, v] : request.headers)
            if (k != "Host") headers.push_back(k + ": " + v);
        for (const auto& [k, v] : signature.headers_to_add) headers.push_back(k + ": " + v);
        return http_call("POST", endpoint() + "/", headers, body);
    }
    void create_secret(const std::string& name, const std::string& value) const {
        std::string body = fmt::format(R"({{"Name":"{}","SecretString":{}}})", name, quote(value));
        auto a = call("CreateSecret", body);
        if (a.status != 200) throw std::runtime_error("moto: CreateSecret: " + a.body);
    }
    void put_value(const std::string& name, const std::string& value) const {
        auto a = call("PutSecretValue", fmt::format(R"({{"SecretId":"{}","SecretString":{}}})", name, quote(value)));
        if (a.status != 200) throw std::runtime_error("moto: PutSecretValue: " + a.body);
    }

private:
    static std::string quote(const std::string& s) {
        std::string out = "\"";
        for (char c : s) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        return out + "\"";
    }
    int port_;
    ChildServer child_;
};

// imds_server.py: IMDSv2 only, keys that rotate on every credentials GET.
class StrictImds {
public:
    explicit StrictImds(int lifetime_seconds)
        : child_({"/usr/bin/env", "python3", SWITCH_IMDS_SERVER_SCRIPT, "--lifetime", std::to_string(lifetime_seconds)},
                 true) {
        const std::string prefix = "listening on ";
        if (child_.banner().rfind(prefix, 0) != 0) throw std::runtime_error("imds_server.py did not start: " + child_.log());
        base_ = child_.banner().substr(prefix.size());
    }
    const std::string& base() const { return base_; }
    std::int64_t stat(const char* name) const {
        simdjson::dom::parser parser;
        const std::string body = http_call("GET", base_ + "/__stats").body;
        return parser.parse(body)[name].get_int64().value();
    }

private:
    ChildServer child_;
    std::string base_;
};

}  // namespace sw::test
