# SwitchFuzzers.cmake — SWITCH_BUILD_FUZZERS=ON: libFuzzer targets (tests/fuzz) with ASan + UBSan.
# Needs clang: libFuzzer ships with its compiler-rt. The whole build is instrumented for coverage
# (fuzzer-no-link), so that the fuzzers see the library's branches; only the fuzz targets link
# libFuzzer's main. See docs/fuzzing.md and tools/fuzz.sh.
if(SWITCH_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SWITCH_BUILD_FUZZERS needs clang (libFuzzer), but the C++ compiler is "
                        "${CMAKE_CXX_COMPILER_ID}. Configure a separate build directory with "
                        "-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++, or run tools/fuzz.sh.")
  endif()
  if(SWITCH_SANITIZE)
    message(FATAL_ERROR "SWITCH_BUILD_FUZZERS already builds with address,undefined; leave SWITCH_SANITIZE empty")
  endif()
  set(SWITCH_FUZZ_SANITIZERS address,undefined)
  add_compile_options(-fsanitize=fuzzer-no-link,${SWITCH_FUZZ_SANITIZERS} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${SWITCH_FUZZ_SANITIZERS})
endif()
