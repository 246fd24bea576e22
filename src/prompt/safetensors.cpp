// safetensors.cpp — header, tensor choice, bounds, then dtype conversion.
#include "prompt/safetensors.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>

namespace sw::prompt {

namespace {

// The safetensors reference implementation refuses larger headers too.
constexpr std::uint64_t kMaxHeaderBytes = 100u * 1024u * 1024u;

struct TensorInfo {
    std::string name, dtype;
    std::vector<std::uint64_t> shape;
    std::uint64_t begin = 0, end = 0;
};

std::size_t dtype_size(std::string_view dtype) {
    if (dtype == "F32") return 4;
    if (dtype == "F16" || dtype == "BF16") return 2;
    return 0;
}

std::uint64_t read_le64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// Every tensor the header describes ("__metadata__" is not one), or false with `error`.
bool parse_header(std::string_view json, std::vector<TensorInfo>& out, std::string& error) {
    simdjson::dom::parser parser;
    const simdjson::padded_string padded(json);
    simdjson::dom::element root;
    if (auto e = parser.parse(padded).get(root)) {
        error = fmt::format("the header is not valid JSON ({})", simdjson::error_message(e));
        return false;
    }
    simdjson::dom::object tensors;
    if (root.get(tensors)) {
        error = "the header is not a JSON object of tensors";
        return false;
    }
    for (auto [key, value] : tensors) {
        if (key == "__metadata__") continue;
        TensorInfo t;
        t.name = std::string(key);
        std::string_view dtype;
        simdjson::dom::array shape, offsets;
        if (value["dtype"].get(dtype) || value["shape"].get(shape) || value["data_offsets"].get(offsets) ||
            offsets.size() != 2) {
            error = fmt::format("tensor \"{}\" lacks a dtype, shape or data_offsets pair in the header", t.name);
            return false;
        }
        t.dtype = std::string(dtype);
        for (simdjson::dom::element d : shape) {
            std::uint64_t n = 0;
            if (d.get(n)) {
                error = fmt::format("tensor \"{}\"'s shape is not a list of sizes", t.name);
                return false;
            }
            t.shape.push_back(n);
        }
        if (offsets.at(0).get(t.begin) || offsets.at(1).get(t.end) || t.end < t.begin) {
            error = fmt::format("tensor \"{}\"'s data_offsets are not a [begin, end] pair", t.name);
            return false;
        }
        out.push_back(std::move(t));
    }
    return true;
}

// The embedding matrix among `tensors`: the only 2-D one, or the one with a known name.
const TensorInfo* choose(const std::vector<TensorInfo>& tensors, std::string& error) {
    std::vector<const TensorInfo*> matrices;
    for (const TensorInfo& t : tensors)
        if (t.shape.size() == 2) matrices.push_back(&t);
    if (matrices.size() == 1) return matrices[0];
    for (const char* name : {"embedding.weight", "embeddings"})
        for (const TensorInfo* t : matrices)
            if (t->name == name) return t;
    if (matrices.empty()) {
        std::string shapes;
        for (const TensorInfo& t : tensors)
            shapes += fmt::format("{}\"{}\" has {} dimensions", shapes.empty() ? "" : ", ", t.name, t.shape.size());
        error = tensors.empty() ? "the file holds no tensor"
                                : fmt::format("no tensor is a 2-D matrix of token embeddings ({})", shapes);
        return nullptr;
    }
    std::string names;
    for (const TensorInfo* t : matrices) names += fmt::format("{}\"{}\"", names.empty() ? "" : ", ", t->name);
    error = fmt::format("the file holds {} 2-D tensors ({}) and none is named \"embedding.weight\" or \"embeddings\"",
                        matrices.size(), names);
    return nullptr;
}

}  // namespace

float half_to_float(unsigned short bits) {
    const std::uint32_t sign = (static_cast<std::uint32_t>(bits) & 0x8000u) << 16;
    const std::uint32_t exponent = (bits >> 10) & 0x1fu;
    const std::uint32_t mantissa = bits & 0x3ffu;
    if (exponent == 0) {  // zero or subnormal: mantissa x 2^-24, exact in a float
        const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
        return sign ? -magnitude : magnitude;
    }
    if (exponent == 31) return std::bit_cast<float>(sign | 0x7f800000u | (mantissa << 13));  // inf, NaN
    return std::bit_cast<float>(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

float bfloat16_to_float(unsigned short bits) { return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16); }

bool EmbeddingMatrix::load(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = fmt::format("cannot open the file ({})", std::strerror(errno));
        return false;
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        error = "cannot read the file (I/O error)";
        return false;
    }
    if (bytes.size() < 8) {
        error = fmt::format("the file is {} bytes, shorter than a safetensors header's 8-byte length", bytes.size());
        return false;
    }
    const std::uint64_t header_size = read_le64(reinterpret_cast<const unsigned char*>(bytes.data()));
    if (header_size > kMaxHeaderBytes || header_size > bytes.size() - 8) {
        error = fmt::format("the header claims {} bytes but the file has {} after its length; is it a safetensors "
                            "file, and complete?",
                            header_size, bytes.size() - 8);
        return false;
    }
    std::vector<TensorInfo> tensors;
    if (!parse_header(std::string_view(bytes).substr(8, header_size), tensors, error)) return false;
    const TensorInfo* t = choose(tensors, error);
    if (!t) return false;
    const std::size_t size = dtype_size(t->dtype);
    if (size == 0) {
        error = fmt::format("tensor \"{}\" has dtype {}; the file embedder reads F16, BF16 and F32", t->name, t->dtype);
        return false;
    }
    if (t->shape[0] == 0 || t->shape[1] == 0 || t->shape[0] > std::numeric_limits<std::uint32_t>::max() ||
        t->shape[1] > (1u << 20)) {
        error = fmt::format("tensor \"{}\" has shape [{}, {}]; expected [vocabulary size, dimensions], neither 0",
                            t->name, t->shape[0], t->shape[1]);
        return false;
    }
    const std::uint64_t count = t->shape[0] * t->shape[1];
    const std::uint64_t data_size = bytes.size() - 8 - header_size;
    if (t->end - t->begin != count * size || t->end > data_size) {
        error = fmt::format("tensor \"{}\" ([{}, {}] {}) needs {} bytes, and its data_offsets [{}, {}] give {} of "
                            "the {} the file holds; the file is truncated or corrupt",
                            t->name, t->shape[0], t->shape[1], t->dtype, count * size, t->begin, t->end,
                            t->end - t->begin, data_size);
        return false;
    }
    const auto* data = reinterpret_cast<const unsigned char*>(bytes.data()) + 8 + header_size + t->begin;
    values_.resize(count);
    const bool half = t->dtype == "F16";
    for (std::uint64_t i = 0; i < count; ++i) {
        const unsigned char* p = data + i * size;
        if (size == 4) {
            values_[i] = std::bit_cast<float>(static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
                                              static_cast<std::uint32_t>(p[2]) << 16 |
                                              static_cast<std::uint32_t>(p[3]) << 24);
        } else {
            const auto bits = static_cast<unsigned short>(p[0] | p[1] << 8);
            values_[i] = half ? half_to_float(bits) : bfloat16_to_float(bits);
        }
    }
    rows_ = static_cast<std::size_t>(t->shape[0]);
    columns_ = static_cast<std::size_t>(t->shape[1]);
    name_ = t->name;
    dtype_ = t->dtype;
    return true;
}

}  // namespace sw::prompt
