# SwitchDependencies.cmake — every dependency comes from the system; nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(CURL 7.68 REQUIRED)
find_package(simdjson 3 CONFIG REQUIRED)
find_package(yaml-cpp 0.7 CONFIG REQUIRED)
find_package(fmt 9 CONFIG REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
# zlib's crc32 checks the AWS event stream (Bedrock's ConverseStream).
find_package(ZLIB REQUIRED)
# Debian's RE2 ships no CMake package, only re2.pc.
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
# The usage ledger's two stores (docs/ledger.md): SQLite and libpq, from Debian.
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# Shared state across processes (docs/scaling.md): hiredis's asynchronous API, from Debian's
# libhiredis-dev. Found by hand rather than through pkg-config, whose flags would put
# /usr/include/hiredis (read.h, sds.h, alloc.h...) on every layer's include path: the code
# includes <hiredis/...> and the target carries the library only.
find_path(HIREDIS_INCLUDE_DIR hiredis/async.h REQUIRED)
find_library(HIREDIS_LIBRARY hiredis REQUIRED)
if(NOT TARGET switch_hiredis)
  add_library(switch_hiredis INTERFACE IMPORTED)
  set_target_properties(switch_hiredis PROPERTIES INTERFACE_LINK_LIBRARIES ${HIREDIS_LIBRARY})
endif()

# yaml-cpp 0.7 names its target `yaml-cpp`; later versions add yaml-cpp::yaml-cpp.
if(TARGET yaml-cpp::yaml-cpp)
  set(SWITCH_YAML_TARGET yaml-cpp::yaml-cpp)
else()
  set(SWITCH_YAML_TARGET yaml-cpp)
endif()

set(SWITCH_PRIVATE_DEPS
    CURL::libcurl simdjson::simdjson ${SWITCH_YAML_TARGET} fmt::fmt PkgConfig::RE2
    OpenSSL::Crypto ZLIB::ZLIB PkgConfig::SQLITE3 PkgConfig::LIBPQ switch_hiredis Threads::Threads)
