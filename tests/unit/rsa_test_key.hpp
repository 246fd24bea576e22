// rsa_test_key.hpp — a throwaway RSA key pair made once per test run, so that no private key
// lives in the repository, and a service-account document around it.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace sw::test {

// A key as PEM: its private half (encrypted with `passphrase` when one is given), or its public half.
inline std::string pem_of(EVP_PKEY* key, bool private_part, char* passphrase = nullptr) {
    BIO* bio = BIO_new(BIO_s_mem());
    const EVP_CIPHER* cipher = passphrase ? EVP_aes_128_cbc() : nullptr;
    const int ok = private_part ? PEM_write_bio_PrivateKey(bio, key, cipher, nullptr, 0, nullptr, passphrase)
                                : PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string pem = ok == 1 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
    BIO_free(bio);
    return pem;
}

struct RsaTestKey {
    std::string private_pem;
    std::string public_pem;

    // One 2048-bit key per process: generating one takes a noticeable fraction of a second.
    static const RsaTestKey& shared() {
        static const RsaTestKey key = generate();
        return key;
    }

    static RsaTestKey generate() {
        EVP_PKEY* key = EVP_RSA_gen(2048);
        if (!key) throw std::runtime_error("cannot generate an RSA test key");
        RsaTestKey out{pem_of(key, true), pem_of(key, false)};
        EVP_PKEY_free(key);
        return out;
    }
};

// A JSON string literal for a PEM (its newlines escaped), as service-account files hold it.
inline std::string json_escape_pem(const std::string& pem) {
    std::string out;
    for (char c : pem) out += c == '\n' ? std::string("\\n") : std::string(1, c);
    return out;
}

// A service-account JSON document for the shared test key.
inline std::string service_account_json(const std::string& token_uri, const std::string& project = "test-project",
                                        const std::string& email = "router@test-project.iam.gserviceaccount.com") {
    return fmt::format(R"({{"type":"service_account","project_id":"{}","private_key_id":"test-key-1",)"
                       R"("private_key":"{}","client_email":"{}","token_uri":"{}"}})",
                       project, json_escape_pem(RsaTestKey::shared().private_pem), email, token_uri);
}

}  // namespace sw::test
