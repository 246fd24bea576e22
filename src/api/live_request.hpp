// live_request.hpp — a request running on an I/O thread, as the thread holds it: started once,
// cancellable until it ends. A plain request (RequestDriver), a cascade (CascadeDriver), or a
// request whose route waits for its prompt's embedding (PoolEmbeddingDriver).
#pragma once

namespace sw::api {

class LiveRequest {
public:
    virtual ~LiveRequest() = default;
    // Both run on the request's I/O thread.
    virtual void start() = 0;
    virtual void cancel() = 0;
};

}  // namespace sw::api
