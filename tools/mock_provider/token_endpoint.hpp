// token_endpoint.hpp — the mock's OAuth 2.0 token endpoint, POST /token[/SPEC]: the
// client-credentials grant and Google's jwt-bearer grant, and the ledger of tokens it issued.
#pragma once

#include <string_view>

struct evhttp_request;

namespace mock {

class Worker;

// "/token", or "/token/NAME[@SPEC]": a name to count exchanges by, and a scenario for the token
// endpoint itself.
bool is_token_path(std::string_view path);

// Answers one POST to a token path.
void handle_token(Worker& worker, evhttp_request* req, std::string_view path);

// Whether this process issued `token`. Tokens stay valid for the life of the process: the mock
// does not enforce expires_in, whose effect on the client the client's own tests observe.
bool token_issued(std::string_view token);

// The PEM public key that jwt-bearer assertions must be signed with. Without one, the mock checks
// an assertion's structure and claims but not its signature. False when `pem` is not a public key.
bool set_jwt_public_key(std::string_view pem);

}  // namespace mock
