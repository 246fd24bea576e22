// json_convert.hpp — Python objects to and from JSON text, in C++: every request is serialized
// and every answer and stream chunk parsed, and json.dumps / json.loads spend most of their time
// in Python-level wrappers around their C cores (benchmarks/README.md, "Python: where the time
// went"). Both run on the Python thread, with the GIL held.
#pragma once

#include <pybind11/pybind11.h>

#include <string>
#include <string_view>

namespace swpy {

// JSON text of `value`, compact, as json.dumps(value, allow_nan=False, ensure_ascii=False)
// gives it: dicts become objects (str, int, float, bool and None keys as text), lists and tuples
// arrays; str, int, float, bool and None what they are. Raises TypeError for anything else,
// naming the type, and ValueError for NaN, infinities and cycles.
std::string to_json(pybind11::handle value);

// The Python value of JSON text, as json.loads gives it (objects are dicts). Raises ValueError
// with the position when the text is not JSON.
pybind11::object from_json(std::string_view text);

}  // namespace swpy
