// consumer.cpp — uses the installed C and C++ APIs.
#include <switch/config_loader.hpp>
#include <switch/switch.h>

#include <cstdio>

int main() {
    auto result = sw::load_config_string(R"({"models": {}})");
    std::printf("consumer: libswitch %s, config %s\n", sw_version(), result.ok() ? "valid" : "invalid");
    return result.ok() ? 0 : 1;
}
