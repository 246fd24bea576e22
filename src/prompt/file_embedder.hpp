// file_embedder.hpp — a static embedding model from files: a token-embedding matrix
// (safetensors) and its tokenizer (tokenizer.json), such as the wordllama package's
// l2_supercat_256 model with the Llama 2 tokenizer.
//
// A text is embedded as wordllama's WordLlamaInference.embed(text) does: its tokens (no special
// tokens added, no truncation), each id clipped to the matrix's last row, and the mean of their
// rows, summed in float in token order; no normalisation (the semantic router normalises). A
// text without tokens embeds as zeros. Cost: one tokenization and one row addition per token.
#pragma once

#include "prompt/bpe_tokenizer.hpp"
#include "prompt/embedder.hpp"
#include "prompt/safetensors.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace sw::prompt {

class FileEmbedder final : public Embedder {
public:
    // Reads both files, or returns null with `error` naming the file that failed and why.
    static std::unique_ptr<FileEmbedder> load(const std::string& model_path, const std::string& tokenizer_path,
                                              std::string& error);
    // The same, shared: routers (every model, and a reloaded router) that name the same two
    // files, unchanged (size and modification time), share one embedder while any holds it,
    // rather than a 32 MB matrix each.
    static std::shared_ptr<const FileEmbedder> shared(const std::string& model_path,
                                                      const std::string& tokenizer_path, std::string& error);

    bool embed(std::string_view text, std::vector<float>& out, std::string& error) const override;

    std::vector<std::uint32_t> tokenize(std::string_view text) const { return tokenizer_->encode(text); }
    std::size_t dimensions() const { return matrix_.columns(); }

private:
    FileEmbedder() = default;

    std::unique_ptr<BpeTokenizer> tokenizer_;
    EmbeddingMatrix matrix_;
};

}  // namespace sw::prompt
