// json_convert.cpp — see json_convert.hpp.
#include "json_convert.hpp"

#include "common/json_writer.hpp"

#include <simdjson.h>

#include <cmath>
#include <string>

namespace py = pybind11;

namespace swpy {
namespace {

// Deeper than any request needs; a cycle reaches it at once (json.dumps reports one the same way).
constexpr int max_depth = 512;

[[noreturn]] void raise_type_error(py::handle value) {
    throw py::type_error(std::string("Object of type ") + Py_TYPE(value.ptr())->tp_name + " is not JSON serializable");
}

std::string_view utf8(py::handle s) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(s.ptr(), &size);
    if (!data) throw py::error_already_set();  // lone surrogates
    return {data, static_cast<std::size_t>(size)};
}

// A dict key as json.dumps writes it: str as is; int, float, bool and None as their JSON text.
std::string key_text(py::handle key) {
    if (PyUnicode_Check(key.ptr())) return std::string(utf8(key));
    if (key.is_none()) return "null";
    if (PyBool_Check(key.ptr())) return key.ptr() == Py_True ? "true" : "false";
    if (PyLong_Check(key.ptr()) || PyFloat_Check(key.ptr())) return std::string(utf8(py::repr(key)));
    throw py::type_error(std::string("keys must be str, int, float, bool or None, not ") + Py_TYPE(key.ptr())->tp_name);
}

void write(sw::JsonWriter& w, py::handle value, int depth) {
    if (depth > max_depth) throw py::value_error("the value nests too deeply for JSON (a circular reference?)");
    PyObject* o = value.ptr();
    if (PyUnicode_Check(o)) {
        w.string(utf8(value));
    } else if (o == Py_None) {
        w.null();
    } else if (PyBool_Check(o)) {
        w.boolean(o == Py_True);
    } else if (PyLong_Check(o)) {
        int overflow = 0;
        const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (overflow) {  // beyond 64 bits: the digits, as json.dumps writes them
            py::object digits = py::reinterpret_steal<py::object>(PyLong_Type.tp_repr(o));
            if (!digits) throw py::error_already_set();
            w.raw(utf8(digits));
        } else if (v == -1 && PyErr_Occurred()) {
            throw py::error_already_set();
        } else {
            w.integer(v);
        }
    } else if (PyFloat_Check(o)) {
        const double v = PyFloat_AS_DOUBLE(o);
        if (!std::isfinite(v)) throw py::value_error("Out of range float values are not JSON compliant");
        // float's own repr, as json.dumps writes it: 1.0 stays 1.0 (a JSON reader may care).
        py::object digits = py::reinterpret_steal<py::object>(PyFloat_Type.tp_repr(o));
        if (!digits) throw py::error_already_set();
        w.raw(utf8(digits));
    } else if (PyDict_Check(o)) {
        w.begin_object();
        PyObject* k = nullptr;
        PyObject* v = nullptr;
        Py_ssize_t pos = 0;
        while (PyDict_Next(o, &pos, &k, &v)) {
            w.key(key_text(k));
            write(w, v, depth + 1);
        }
        w.end_object();
    } else if (PyList_Check(o) || PyTuple_Check(o)) {
        w.begin_array();
        // Items are read by index each time: writing one cannot change a list (no Python runs).
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
        for (Py_ssize_t i = 0; i < n; ++i) write(w, PySequence_Fast_GET_ITEM(o, i), depth + 1);
        w.end_array();
    } else {
        raise_type_error(value);
    }
}

py::object convert(simdjson::dom::element e) {
    using simdjson::dom::element_type;
    switch (e.type()) {
        case element_type::OBJECT: {
            py::dict d;
            for (simdjson::dom::key_value_pair field : simdjson::dom::object(e)) {
                py::str key = py::reinterpret_steal<py::str>(
                    PyUnicode_DecodeUTF8(field.key.data(), static_cast<Py_ssize_t>(field.key.size()), "strict"));
                if (!key) throw py::error_already_set();
                d[key] = convert(field.value);
            }
            return std::move(d);
        }
        case element_type::ARRAY: {
            py::list l;
            for (simdjson::dom::element item : simdjson::dom::array(e)) l.append(convert(item));
            return std::move(l);
        }
        case element_type::STRING: {
            const std::string_view s = std::string_view(e);
            PyObject* o = PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "strict");
            if (!o) throw py::error_already_set();
            return py::reinterpret_steal<py::object>(o);
        }
        case element_type::INT64: return py::int_(static_cast<long long>(std::int64_t(e)));
        case element_type::UINT64: return py::int_(static_cast<unsigned long long>(std::uint64_t(e)));
        case element_type::DOUBLE: return py::float_(double(e));
        case element_type::BOOL: return py::bool_(bool(e));
        case element_type::NULL_VALUE: break;
    }
    return py::none();
}

}  // namespace

std::string to_json(py::handle value) {
    sw::JsonWriter w;
    write(w, value, 0);
    return w.take();
}

py::object from_json(std::string_view text) {
    // The GIL serializes every caller, so one parser (and its buffers) serves them all.
    static simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) {
        // Not JSON, or JSON simdjson declines (an integer beyond 64 bits): json.loads decides,
        // and raises its JSONDecodeError (a ValueError) with the position when it is not JSON.
        return py::module_::import("json").attr("loads")(py::bytes(text.data(), text.size()));
    }
    return convert(root);
}

}  // namespace swpy
