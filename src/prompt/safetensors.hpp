// safetensors.hpp — the one 2-D tensor of a safetensors file (a static embedding model's
// token-embedding matrix), read into memory as floats.
//
// The format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
// shape and byte range, then the raw little-endian data (huggingface/safetensors). F16, BF16 and
// F32 are read; the matrix is kept as F32, so a lookup is a plain copy (for wordllama's 32,000 x
// 256 F16 model that is 32 MB instead of 16 MB, measured in docs/prompt-routing.md).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace sw::prompt {

class EmbeddingMatrix {
public:
    // The 2-D tensor of the file at `path`: the only one, or else the one named
    // "embedding.weight" (wordllama) or "embeddings" (model2vec). False with `error` saying why,
    // without the path (the caller names it).
    bool load(const std::string& path, std::string& error);

    std::size_t rows() const { return rows_; }
    std::size_t columns() const { return columns_; }
    const std::string& tensor_name() const { return name_; }
    const std::string& dtype() const { return dtype_; }
    // Row `i` (< rows()).
    std::span<const float> row(std::size_t i) const { return {values_.data() + i * columns_, columns_}; }

private:
    std::size_t rows_ = 0, columns_ = 0;
    std::string name_, dtype_;
    std::vector<float> values_;
};

// IEEE half and bfloat16 to float, exactly (every value of either is a float).
float half_to_float(unsigned short bits);
float bfloat16_to_float(unsigned short bits);

}  // namespace sw::prompt
