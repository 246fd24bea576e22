// file_embedder.cpp — tokens, rows, mean: wordllama's embedding, reproduced.
#include "prompt/file_embedder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>

namespace sw::prompt {

namespace {

// sum += row, eight at a time: a loop of a fixed count vectorises at -O2, and each element is
// still added in token order (so the result is numpy's, to the bit).
void add_row(float* __restrict sum, std::span<const float> row) {
    const float* __restrict r = row.data();
    const std::size_t n = row.size(), whole = n - n % 8;
    for (std::size_t i = 0; i < whole; i += 8)
        for (std::size_t k = 0; k < 8; ++k) sum[i + k] += r[i + k];
    for (std::size_t i = whole; i < n; ++i) sum[i] += r[i];
}

}  // namespace

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

std::shared_ptr<const FileEmbedder> FileEmbedder::shared(const std::string& model_path,
                                                         const std::string& tokenizer_path, std::string& error) {
    // A file's identity for the cache: its path, size and modification time (0 when unreadable:
    // load() then reports why).
    auto stamp = [](const std::string& path) {
        std::error_code ec;
        const auto size = std::filesystem::file_size(path, ec);
        const auto time = std::filesystem::last_write_time(path, ec).time_since_epoch().count();
        return fmt::format("{}\n{}\n{}", path, ec ? 0 : size, ec ? 0 : time);
    };
    static std::mutex mutex;
    static std::map<std::string, std::weak_ptr<const FileEmbedder>> loaded;
    const std::string key = stamp(model_path) + "\n" + stamp(tokenizer_path);
    std::lock_guard lock(mutex);  // held while loading, so that two routers never load it twice
    if (auto existing = loaded[key].lock()) return existing;
    std::erase_if(loaded, [](const auto& entry) { return entry.second.expired(); });
    std::shared_ptr<const FileEmbedder> e = load(model_path, tokenizer_path, error);
    if (e) loaded[key] = e;
    return e;
}

bool FileEmbedder::embed(std::string_view text, std::vector<float>& out, std::string&) const {
    const std::vector<std::uint32_t> ids = tokenizer_->encode(text);
    out.assign(matrix_.columns(), 0.0f);
    // wordllama clips ids past the matrix (np.clip) rather than failing.
    const std::size_t last = matrix_.rows() - 1;
    for (std::uint32_t id : ids) add_row(out.data(), matrix_.row(std::min<std::size_t>(id, last)));
    // wordllama divides by the token count, at least 1, in float32.
    const auto count = static_cast<float>(std::max<std::size_t>(ids.size(), 1));
    for (float& v : out) v /= count;
    return true;
}

}  // namespace sw::prompt
