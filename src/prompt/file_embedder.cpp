// file_embedder.cpp — tokens, rows, mean: wordllama's embedding, reproduced.
#include "prompt/file_embedder.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace sw::prompt {

std::unique_ptr<FileEmbedder> FileEmbedder::load(const std::string& model_path, const std::string& tokenizer_path,
                                                 std::string& error) {
    std::unique_ptr<FileEmbedder> e(new FileEmbedder());
    std::string why;
    if (!e->matrix_.load(model_path, why)) {
        error = fmt::format("the model file \"{}\" cannot be used: {}", model_path, why);
        return nullptr;
    }
    e->tokenizer_ = BpeTokenizer::load(tokenizer_path, why);
    if (!e->tokenizer_) {
        error = fmt::format("the tokenizer file \"{}\" cannot be used: {}", tokenizer_path, why);
        return nullptr;
    }
    return e;
}

bool FileEmbedder::embed(std::string_view text, std::vector<float>& out, std::string&) const {
    const std::vector<std::uint32_t> ids = tokenizer_->encode(text);
    out.assign(matrix_.columns(), 0.0f);
    // wordllama clips ids past the matrix (np.clip) rather than failing.
    const std::size_t last = matrix_.rows() - 1;
    for (std::uint32_t id : ids) {
        const std::span<const float> row = matrix_.row(std::min<std::size_t>(id, last));
        for (std::size_t i = 0; i < row.size(); ++i) out[i] += row[i];
    }
    // wordllama divides by the token count, at least 1, in float32.
    const auto count = static_cast<float>(std::max<std::size_t>(ids.size(), 1));
    for (float& v : out) v /= count;
    return true;
}

}  // namespace sw::prompt
